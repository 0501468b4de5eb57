import { reportReady } from "../lib/child.js";
import { loadTesting, unwrap } from "../lib/packages.js";

/**
 * A listening fake Arker server in its own process, so that its CPU and memory are not
 * counted against the client being measured. Prints `READY {"url","apiKey"}`; stops on
 * SIGTERM.
 */
const { createFakeArker } = unwrap(await loadTesting());
const fake = await createFakeArker({ listen: true, python: false });
reportReady({ url: fake.url, apiKey: fake.apiKey });
process.on("SIGTERM", () => {
  void fake.close().finally(() => process.exit(0));
});
