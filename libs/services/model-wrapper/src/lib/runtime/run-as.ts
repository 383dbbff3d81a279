import {
  spawnUnsandboxed,
  type LimitReport,
  type ModelProcessLauncher,
  type SandboxLimits,
  type SandboxReport,
} from '@ml-run/sandbox';

/** The uid (and gid of the same number) model code runs under, apart from the wrapper. */
export type RunAs = { uid: number };

export type Command = { file: string; args: string[] };

/**
 * The command that runs `file args` as `runAs`, or unchanged without one. setpriv
 * (util-linux, in every base image) sets the uid and gid, drops supplementary groups and
 * clears the inheritable and ambient capabilities: in a Swarm replica the wrapper holds
 * CAP_SETUID and CAP_SETGID as ambient capabilities just to do this, and ambient
 * capabilities would otherwise pass on into model code across the exec.
 */
export function commandAs(runAs: RunAs | undefined, file: string, args: string[]): Command {
  if (runAs === undefined) return { file, args };
  const id = String(runAs.uid);
  return {
    file: 'setpriv',
    args: [
      `--reuid=${id}`,
      `--regid=${id}`,
      '--clear-groups',
      '--inh-caps=-all',
      '--ambient-caps=-all',
      '--',
      file,
      ...args,
    ],
  };
}

/**
 * Refuses a model uid equal to the wrapper's own: model code could then read the wrapper's
 * environment (its credential) through /proc.
 */
export function checkRunAs(runAs: RunAs | undefined, ownUid = process.getuid?.()): void {
  if (runAs === undefined || runAs.uid !== ownUid) return;
  throw new Error(
    `MLRUN_MODEL_UID is ${runAs.uid}, the wrapper's own uid: model code would run as the ` +
      'wrapper and could read its credential; pick another uid or unset it',
  );
}

/**
 * Workers started as `runAs` through setpriv, and nothing more: in a container, whose
 * runtime (not this process) enforces the limits and hides the host. The report says so.
 */
export function runAsLauncher(runAs: RunAs, limits: SandboxLimits): ModelProcessLauncher {
  checkRunAs(runAs);
  const byContainer = (requested: number | undefined): LimitReport =>
    requested === undefined
      ? { enforced: false }
      : { requested, enforced: false, note: 'set on the container by its deployer, not here' };
  const report: SandboxReport = {
    mode: 'uid',
    level: 'partial',
    namespaces: false,
    user: { name: `uid ${runAs.uid}`, uid: runAs.uid, gid: runAs.uid },
    limits: {
      memoryBytes: byContainer(limits.memoryBytes),
      cpus: byContainer(limits.cpus),
      pids: byContainer(limits.pids),
    },
    warnings: ['workers change uid only; the container is their sandbox (read-only, no caps)'],
  };
  return {
    spawn: (spec) => {
      const command = commandAs(runAs, spec.command, [...spec.args]);
      return spawnUnsandboxed({ ...spec, command: command.file, args: command.args });
    },
    visiblePath: (bind) => bind.source,
    report: () => report,
    oomKills: () => Promise.resolve(0),
    close: () => Promise.resolve(),
  };
}
