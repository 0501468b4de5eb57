import {
  type ArkerClient,
  ArkerError,
  type CallOptions,
  callControls,
  isRecord,
} from "@arker-ai/core";
import type { ForkRequest, Vm as WireVm } from "@arker-ai/core/wire";

/** Sends `POST /v1/fork` and checks that a VM came back. */
export async function sendFork(
  client: ArkerClient,
  body: ForkRequest,
  options: CallOptions & { idempotencyKey?: string },
): Promise<WireVm> {
  const { data, requestId } = await client.request<WireVm>({
    method: "POST",
    path: "/v1/fork",
    body,
    ...callControls(options),
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
  });
  return expectVm(data, requestId);
}

/** Checks that an answer is a VM (it has a `vm_id`); unknown fields are kept. */
export function expectVm(data: unknown, requestId: string | null): WireVm {
  if (!isRecord(data) || typeof data.vm_id !== "string") {
    throw new ArkerError("internal", "malformed VM response: no vm_id", 200, { requestId });
  }
  return data as unknown as WireVm;
}
