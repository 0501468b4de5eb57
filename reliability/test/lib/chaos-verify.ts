import type { FakeArker } from "@arker-ai/testing";
import type { ChaosLedger } from "./chaos-ledger";
import { sha256 } from "./random";

/** The server-side truth of a chaos run, compared with its ledger. */
export interface ChaosVerdict {
  /** Names of the chaos VMs alive on the server, and those expected alive. */
  aliveNames: string[];
  expectedAlive: string[];
  /** VMs the server created (alive + deleted through the SDK). */
  createdOnServer: number;
  vmDuplicates: number;
  runDuplicates: number;
  /** Run calls whose command never executed. */
  runsLost: number;
  mountDuplicates: number;
  mountsLost: number;
  /** Mounts removed through the SDK but still there. */
  mountsNotRemoved: number;
  sessionDuplicates: number;
  sessionsLost: number;
  /** Chaos filesystems on the server, and those expected. */
  filesystemNames: string[];
  expectedFilesystems: string[];
  filesystemDuplicates: number;
  filesChecked: number;
  bytesChecked: number;
  /** Bytes stored different from what was written. */
  bytesLost: number;
  /** Stored files that differ, by VM and path. */
  mismatches: string[];
}

/** Reads the fake's state and counts every duplicate and loss against the ledger. */
export function verifyChaos(fake: FakeArker, ledger: ChaosLedger): ChaosVerdict {
  const vms = fake.vms.filter((vm) => vm.name?.startsWith("chaos-") && vm.name !== "chaos-base");
  const aliveNames = vms.map((vm) => vm.name ?? "").sort();
  const filesystemNames = fake.filesystems
    .map((filesystem) => filesystem.name)
    .filter((name) => name.startsWith("chaos-fs-"))
    .sort();
  const verdict: ChaosVerdict = {
    aliveNames,
    expectedAlive: [...ledger.forksReturned].filter((name) => !ledger.deleted.has(name)).sort(),
    createdOnServer: aliveNames.length + ledger.deleted.size,
    vmDuplicates: aliveNames.length - new Set(aliveNames).size,
    runDuplicates: 0,
    runsLost: 0,
    mountDuplicates: 0,
    mountsLost: 0,
    mountsNotRemoved: 0,
    sessionDuplicates: 0,
    sessionsLost: 0,
    filesystemNames,
    expectedFilesystems: [...ledger.filesystemsCreated]
      .filter((name) => !ledger.filesystemsDeleted.has(name))
      .sort(),
    filesystemDuplicates: filesystemNames.length - new Set(filesystemNames).size,
    filesChecked: 0,
    bytesChecked: 0,
    bytesLost: 0,
    mismatches: [],
  };
  for (const command of ledger.runCommands) {
    const count = ledger.executions.get(command) ?? 0;
    if (count > 1) verdict.runDuplicates += count - 1;
    if (count === 0) verdict.runsLost++;
  }
  for (const tracked of ledger.survivors) {
    const snapshot = vms.find((vm) => vm.vm_id === tracked.vm.id);
    const paths = snapshot?.syncs.map((sync) => sync.path) ?? [];
    verdict.mountDuplicates += paths.length - new Set(paths).size;
    verdict.mountsLost += tracked.mounts.filter(({ path }) => !paths.includes(path)).length;
    verdict.mountsNotRemoved += tracked.unmounted.filter((path) => paths.includes(path)).length;
    const sessions = snapshot?.sessions ?? [];
    const created = sessions.filter((session) => !tracked.sessionsAtFork.has(session.session_id));
    // Beyond the sessions it was forked with, a VM has its default one (made on a first
    // run) and those the SDK created and got back: anything more is a duplicate.
    const defaults = created.filter((session) => session.session_idx === 0).length;
    verdict.sessionDuplicates += created.length - defaults - tracked.sessions.length;
    const ids = sessions.map((session) => session.session_id);
    verdict.sessionsLost += tracked.sessions.filter((id) => !ids.includes(id)).length;
    const view = fake.files(tracked.vm.id);
    for (const [path, expected] of tracked.files) {
      const stored = view.read(path);
      verdict.filesChecked++;
      verdict.bytesChecked += expected.size;
      if (stored === undefined || sha256(stored) !== expected.sha) {
        verdict.bytesLost += expected.size;
        verdict.mismatches.push(`stored ${tracked.name}:${path}`);
      }
    }
  }
  return verdict;
}
