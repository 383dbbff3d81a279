// Which isolation a mode gets on a machine, and which limits hold: decided once, reported
// as is. A mode that cannot be had is refused with what to install or set.
import { CgroupController, SANDBOX_USER, type MachineCapabilities } from './machine-capabilities';
import { SandboxError, SandboxErrorCode } from './sandbox.errors';
import type {
  IsolationLevel,
  LimitName,
  LimitReport,
  SandboxLimits,
  SandboxMode,
  SandboxReport,
} from './sandbox.types';

export type Isolation = {
  mode: SandboxMode;
  level: IsolationLevel;
  namespaces: boolean;
  user?: { name: string; uid: number; gid: number };
  warnings: string[];
};

const FIX = 'run tools/services/sandbox/up.sh as root';

export function decideIsolation(mode: SandboxMode, caps: MachineCapabilities): Isolation {
  if (mode === 'off') {
    return {
      mode,
      level: 'off',
      namespaces: false,
      warnings: ['MLRUN_SANDBOX=off: model code runs as the platform user and sees its files'],
    };
  }
  const userProblem = uidChangeProblem(caps);
  const namespaceProblem = caps.bwrap ? undefined : (caps.bwrapProblem ?? 'bwrap is missing');
  const needed =
    mode === 'full' ? [userProblem, namespaceProblem] : mode === 'uid' ? [userProblem] : [];
  const missing = needed.filter((problem): problem is string => problem !== undefined);
  if (missing.length > 0) {
    throw new SandboxError(
      SandboxErrorCode.SandboxUnavailable,
      `MLRUN_SANDBOX=${mode} cannot be had on this machine: ${missing.join('; ')}. ` +
        `${FIX}, or set MLRUN_SANDBOX=auto (what the machine allows) or off`,
    );
  }
  const user = userProblem === undefined ? caps.user : undefined;
  const namespaces = mode !== 'uid' && namespaceProblem === undefined;
  const warnings: string[] = [];
  if (!namespaces && mode !== 'uid') {
    warnings.push(
      `no namespaces (${namespaceProblem}): model code sees this host's files and processes`,
    );
  }
  if (!user) {
    warnings.push(`no uid change (${userProblem}): model code runs as the platform user`);
  }
  const level: IsolationLevel =
    namespaces && user ? 'full' : namespaces || user ? 'partial' : 'off';
  return { mode, level, namespaces, ...(user ? { user } : {}), warnings };
}

function uidChangeProblem(caps: MachineCapabilities): string | undefined {
  if (!caps.canSetUid) return 'this process may not change uid (not root, no CAP_SETUID)';
  if (!caps.user) return `the user ${SANDBOX_USER} does not exist`;
  if (!caps.setpriv) return 'setpriv is missing';
  return undefined;
}

type Rlimits = { addressSpaceBytes?: number; processes?: number };
type CgroupInfo = { version: 'v1' | 'v2'; controllers: readonly CgroupController[] };
type LimitContext = {
  off: boolean;
  by: string | undefined;
  has: (controller: CgroupController) => boolean;
  isolation: Isolation;
  caps: MachineCapabilities;
  rlimits: Rlimits;
};

/** How each limit will be held for one group, given the cgroups that could be made. */
export function planLimits(
  isolation: Isolation,
  caps: MachineCapabilities,
  limits: SandboxLimits,
  cgroup: CgroupInfo | undefined,
): { reports: Record<LimitName, LimitReport>; rlimits: Rlimits } {
  const off = isolation.mode === 'off';
  const context: LimitContext = {
    off,
    by: cgroup && `cgroup-${cgroup.version}`,
    has: (controller) => !off && cgroup?.controllers.includes(controller) === true,
    isolation,
    caps,
    rlimits: {},
  };
  const reports = {
    memoryBytes: memoryLimit(context, limits.memoryBytes),
    cpus: cpuLimit(context, limits.cpus),
    pids: pidsLimit(context, limits.pids),
  };
  return { reports, rlimits: context.rlimits };
}

function memoryLimit(context: LimitContext, requested: number | undefined): LimitReport {
  if (requested === undefined) return { enforced: false };
  if (context.has('memory')) {
    return held(requested, context.by, 'all processes of the replica together');
  }
  if (!context.off && context.caps.prlimit) {
    context.rlimits.addressSpaceBytes = requested;
    const note = 'address space of each process, not resident memory of the replica';
    return held(requested, 'rlimit-as', note);
  }
  return notHeld(requested, context.off, 'no memory cgroup and no prlimit');
}

function pidsLimit(context: LimitContext, requested: number | undefined): LimitReport {
  if (requested === undefined) return { enforced: false };
  if (context.has('pids')) {
    return held(requested, context.by, 'processes and threads of the replica together');
  }
  const user = context.isolation.user;
  // RLIMIT_NPROC counts per uid, so it only means something for the model's own uid.
  if (!context.off && context.caps.prlimit && user) {
    context.rlimits.processes = requested;
    const note = `counts every process of ${user.name} on this host, every model together`;
    return held(requested, 'rlimit-nproc', note);
  }
  return notHeld(requested, context.off, 'no pids cgroup');
}

function cpuLimit(context: LimitContext, requested: number | undefined): LimitReport {
  if (requested === undefined) return { enforced: false };
  if (context.has('cpu')) return held(requested, context.by, 'CFS quota per 100 ms');
  return notHeld(requested, context.off, 'no cpu cgroup');
}

function held(requested: number, by: string | undefined, note: string): LimitReport {
  return { requested, enforced: true, ...(by ? { by } : {}), note };
}

function notHeld(requested: number, off: boolean, why: string): LimitReport {
  return { requested, enforced: false, note: notEnforced(off, why) };
}

function notEnforced(off: boolean, why: string): string {
  return off ? 'MLRUN_SANDBOX=off' : why;
}

export function sandboxReport(
  isolation: Isolation,
  limits: Record<LimitName, LimitReport>,
  extraWarnings: readonly string[] = [],
): SandboxReport {
  const unenforced = (Object.entries(limits) as [LimitName, LimitReport][])
    .filter(([, limit]) => limit.requested !== undefined && !limit.enforced)
    .map(([name, limit]) => `${name} limit not enforced (${limit.note ?? 'unavailable'})`);
  return {
    mode: isolation.mode,
    level: isolation.level,
    namespaces: isolation.namespaces,
    ...(isolation.user ? { user: isolation.user } : {}),
    limits,
    warnings: [...isolation.warnings, ...extraWarnings, ...unenforced],
  };
}
