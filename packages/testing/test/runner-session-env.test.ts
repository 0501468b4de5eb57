// Proves what a run leaves in its session (cwd, variables) and which environment its shell sees, on the runner itself.
import { describe, expect, it } from "vitest";
import { bench } from "./runner-unit.js";

const BASE = "/home/user user user /bin/bash /usr/local/bin:/usr/bin:/bin C.UTF-8";

describe("runner: the environment a run sees", () => {
  it("starts from the base environment, exported to child shells", async () => {
    const b = bench();
    const answer = await b.start(
      `echo "$HOME $USER $LOGNAME $SHELL $PATH $LANG"; sh -c 'echo "$HOME $USER $LOGNAME $SHELL $PATH $LANG"'`,
    );
    expect(answer.status).toBe(200);
    if (answer.status !== 200) return;
    expect(answer.body.stdout).toBe(`${BASE}\n${BASE}\n`);
  });

  it("exports the session's and the run's variables to a child shell, skipping names a shell cannot hold", async () => {
    const b = bench();
    b.session.env = { FROM_SESSION: "s" };
    const answer = await b.start(`sh -c 'echo "$FROM_SESSION $FROM_RUN"'`, {
      env: { FROM_RUN: "r", "NOT-A-NAME": "x" },
    });
    if (answer.status !== 200) throw new Error("expected 200");
    expect(answer.body).toMatchObject({ stdout: "s r\n", stderr: "", exit_code: 0 });
  });

  it("names the host after the VM (its id when it has no name)", async () => {
    const b = bench();
    const answer = await b.start("echo $HOSTNAME");
    if (answer.status !== 200) throw new Error("expected 200");
    expect(answer.body.stdout).toBe(`${b.vm.id}\n`);
  });

  it("runs in the run's cwd, else the session's", async () => {
    const b = bench();
    const inSession = await b.start("pwd");
    const inRun = await b.start("pwd", { cwd: "/tmp" });
    if (inSession.status !== 200 || inRun.status !== 200) throw new Error("expected 200");
    expect(inSession.body.stdout).toBe("/home/user\n");
    expect(inRun.body.stdout).toBe("/tmp\n");
  });
});

describe("runner: what a run leaves in its session", () => {
  it("keeps a cd and the run's variables, exported or not, and no shell bookkeeping", async () => {
    const b = bench();
    await b.start("cd /tmp; export A=1; B=2; OLDPWD=/x; true");
    expect(b.session.cwd).toBe("/tmp");
    expect(b.session.env).toEqual({ A: "1", B: "2" });
  });

  it("leaves the session as it was when the run ends with exit", async () => {
    const b = bench();
    b.session.env = { KEEP: "k" };
    await b.start("cd /tmp; export A=1; exit 3");
    expect(b.session.cwd).toBe("/home/user");
    expect(b.session.env).toEqual({ KEEP: "k" });
  });

  it("does not take the run's own cwd as the session's, but a cd inside the run", async () => {
    const b = bench();
    await b.start("true; echo x", { cwd: "/tmp" });
    expect(b.session.cwd).toBe("/home/user");
    await b.start("cd /etc", { cwd: "/tmp" });
    expect(b.session.cwd).toBe("/etc");
  });

  it("keeps the session's cwd when the run leaves PWD unset or not absolute", async () => {
    const b = bench();
    await b.start("cd /tmp; unset PWD");
    expect(b.session.cwd).toBe("/home/user");
    await b.start("cd /tmp; PWD=relative");
    expect(b.session.cwd).toBe("/home/user");
  });

  it("does not store a base variable left as it is, but keeps one the session had set back to its base value", async () => {
    const b = bench();
    await b.start("echo $HOME");
    expect(b.session.env).toEqual({});
    await b.start("export HOME=/root");
    expect(b.session.env).toEqual({ HOME: "/root" });
    await b.start("export HOME=/home/user");
    expect(b.session.env).toEqual({ HOME: "/home/user" });
  });

  it("keeps a run's env for that run only: the session's value stays, an unset one stays unset, a change inside the run sticks", async () => {
    const b = bench();
    b.session.env = { FOO: "session" };
    await b.start("echo $FOO $BAR", { env: { FOO: "run", BAR: "run" } });
    expect(b.session.env).toStrictEqual({ FOO: "session" });
    await b.start("export BAR=changed", { env: { BAR: "run" } });
    expect(b.session.env).toEqual({ FOO: "session", BAR: "changed" });
  });
});
