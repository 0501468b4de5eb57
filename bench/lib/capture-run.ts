import { Agent } from "undici";
import { type CapturedRequest, capturingDispatcher } from "./capture.js";
import type { SdkModule } from "./packages.js";

/**
 * Captures the exact request `vm.run("true")` puts on the wire, with a throwaway SDK
 * client, so that the client under measurement carries no recording overhead.
 *
 * @module
 */

/** Sends one `vm.run("true")` on `vmId` through a recording client and returns the request. */
export async function captureRunRequest(
  sdk: SdkModule,
  options: { apiKey: string; baseUrl: string },
  vmId: string,
): Promise<CapturedRequest> {
  const { dispatcher, captured } = capturingDispatcher(new Agent());
  const arker = new sdk.Arker({ ...options, dispatcher });
  try {
    await arker.vm(vmId).run("true");
  } finally {
    await arker.close();
    await dispatcher.close();
  }
  const wire = captured.find((candidate) => candidate.path.endsWith("/runs"));
  if (!wire) throw new Error("the SDK's run request was not captured");
  return wire;
}
