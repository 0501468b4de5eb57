/**
 * The completed-run answer a scripted server gives to `POST /runs` (exit 0, the default
 * session), with `stdout` as given: what the download's probe and `rm` expect.
 */
export function completedRun(stdout = "") {
  return {
    stdout,
    stderr: "",
    exit_code: 0,
    run_id: "run_1",
    state: "completed",
    fail_reason: null,
    session_id: "sess_0",
  };
}
