// What a caller asks of the sandbox, and what it reports back.

/**
 * MLRUN_SANDBOX: `auto` uses the strongest isolation the machine allows (down to none);
 * `full` needs bwrap namespaces and the uid change; `uid` changes uid only (containers where
 * bwrap cannot make namespaces); `off` runs model code as the platform's own user.
 */
export const SANDBOX_MODES = ['auto', 'full', 'uid', 'off'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/**
 * full: namespaces + own uid; partial: one of them; off: neither; container: the workers
 * run in a container of their own beside the wrapper's (the openshift target's pods).
 */
export type IsolationLevel = 'full' | 'container' | 'partial' | 'off';

/** A host path shown to the child at `target` (read-only unless in `writable`). */
export type Bind = { source: string; target: string };

export type SandboxLimits = {
  /** Memory of the whole group (every process spawned in it). */
  memoryBytes?: number;
  /** CPU time per wall second, e.g. 0.5. */
  cpus?: number;
  /** Processes and threads of the whole group. */
  pids?: number;
};

export type SpawnSpec = {
  command: string;
  args: readonly string[];
  /** The WHOLE environment the child sees: nothing of the caller's is added. */
  env: Readonly<Record<string, string>>;
  readOnly?: readonly Bind[];
  writable?: readonly Bind[];
  /** Inside the sandbox (a bind target), or on the host when paths are not remapped. */
  cwd?: string;
  /** One entry per fd from 0; default three pipes. Extra fds pass through the launcher. */
  stdio?: readonly ('pipe' | 'ignore')[];
};

export type LimitName = keyof SandboxLimits;

export type LimitReport = {
  /** What was asked; absent when the caller set no limit. */
  requested?: number;
  enforced: boolean;
  /** How: `cgroup-v1`, `cgroup-v2`, `rlimit-as` (per process), `rlimit-nproc` (per uid). */
  by?: string;
  /** Why it is not enforced, or what the enforcement does not cover. */
  note?: string;
};

/** Exactly what is enforced for the processes of a group; never more. */
export type SandboxReport = {
  mode: SandboxMode;
  level: IsolationLevel;
  /** bwrap mount, pid, ipc and uts namespaces; the child sees only its binds. */
  namespaces: boolean;
  /** The uid model code runs as, when it is not the platform's own. */
  user?: { name: string; uid: number; gid: number };
  limits: Record<LimitName, LimitReport>;
  /** One sentence per missing piece, for logs and `ml-run models`. */
  warnings: string[];
};
