import type { ArkerClient, CallOptions } from "@arker-ai/core";
import { SIGNAL_NAMES, type SignalName } from "@arker-ai/core/contract";
import {
  badRequest,
  objectDecoder,
  optionKeys,
  rejectUnknownOptions,
  requireId,
} from "@arker-ai/core/internal";
import type { RunRequest, SignalAckResponse } from "@arker-ai/core/wire";

/**
 * Signals to the command in flight in a session: a run request with `signal` and no
 * `command`.
 *
 * @module
 */

/** Options of {@link Vm.signal}. */
export interface SignalOptions extends CallOptions {
  /** The session whose command in flight gets the signal. Default: the VM's default session. */
  sessionId?: string;
}

/** What a signal request did. */
export interface SignalResult {
  /** The session signalled. */
  sessionId: string;
  /** The signal sent. */
  signal: SignalName;
  /**
   * Whether a command was in flight (it then ends `failed`, exit 128 + the signal's
   * number, `failReason: "signal"`); `undefined` when the service does not say.
   */
  signalled: boolean | undefined;
}

const SIGNAL_OPTION_KEYS = optionKeys<SignalOptions>({
  sessionId: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});

const decodeAck = objectDecoder<SignalAckResponse>("signal acknowledgement", {
  state: "string",
  exit_code: "number",
  stdout: "string",
  stdout_encoding: "string",
  stderr: "string",
  stderr_encoding: "string",
  fail_reason: "string|null",
  session_id: "string",
  signal: "optional string",
  signalled: "optional boolean",
});

/** Checks a signal and its options and builds the control request's body. */
export function signalRequest(signal: SignalName, options: SignalOptions = {}): RunRequest {
  rejectUnknownOptions(options, SIGNAL_OPTION_KEYS, "signal");
  if (!(SIGNAL_NAMES as readonly unknown[]).includes(signal)) {
    throw badRequest(`signal must be one of ${SIGNAL_NAMES.join(", ")}; got ${String(signal)}`);
  }
  const body: RunRequest = { signal };
  if (options.sessionId !== undefined) body.session_id = requireId(options.sessionId, "sessionId");
  return body;
}

/** `POST /v1/vms/{vm_id}/runs` with `signal` and no `command`. */
export async function sendSignal(
  client: ArkerClient,
  vmId: string,
  signal: SignalName,
  options: SignalOptions | undefined,
): Promise<SignalResult> {
  const body = signalRequest(signal, options);
  const { data, requestId } = await client.call(
    "createRun",
    { params: { vm_id: vmId }, body },
    options,
  );
  const ack = decodeAck(data, requestId);
  return { sessionId: ack.session_id, signal, signalled: ack.signalled };
}
