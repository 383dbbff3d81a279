import { processCpuSeconds } from '../cpu-time';

/**
 * Who does the work in a case. Each role's CPU is counted apart: the generator (this
 * process), the router, the wrapper process, its model workers (its descendants), the
 * control plane (validator), the bare servers, a peer's processes.
 */
export type RoleName =
  'generator' | 'router' | 'wrapper' | 'workers' | 'plane' | 'proxy' | 'echo' | 'peer';

export const ROLE_ORDER: readonly RoleName[] = [
  'router',
  'wrapper',
  'workers',
  'plane',
  'proxy',
  'echo',
  'peer',
  'generator',
];

/** A role and how to find its processes now (workers may be started after the wrapper). */
export type Role = { name: RoleName; pids: () => number[] };

/** CPU seconds used so far, per role, with the pids they were read from. */
export type CpuReading = { role: RoleName; pids: number[]; cpuSeconds: number }[];

/** Reads every role's processes once (the same pids must be read again after the window). */
export function readCpu(roles: readonly { name: RoleName; pids: number[] }[]): CpuReading {
  return roles.map((role) => ({
    role: role.name,
    pids: role.pids,
    cpuSeconds: processCpuSeconds(role.pids),
  }));
}

/** Resolves each role's pids now; the generator is always this process. */
export function pidsOf(roles: readonly Role[]): { name: RoleName; pids: number[] }[] {
  return [
    ...roles.map((role) => ({ name: role.name, pids: role.pids() })),
    { name: 'generator' as const, pids: [process.pid] },
  ];
}

/** One role's CPU over a measured window. */
export type RoleCpu = {
  role: RoleName;
  /** CPU seconds (user + system) its processes used in the window. */
  cpuSeconds: number;
  /** CPU microseconds per answered request: cpuSeconds ÷ responses. */
  usPerRequest: number;
  /** Cores busy on average: cpuSeconds ÷ wall seconds. Near 1 per busy single-threaded process. */
  coresBusy: number;
};

/**
 * Each role's CPU over a window from readings before and after it: the utime + stime delta
 * divided by the requests answered (CPU per request) and by the window's wall time (cores
 * busy, which shows whether that side was saturated). No answers: usPerRequest is NaN.
 */
export function cpuOverWindow(
  before: CpuReading,
  after: CpuReading,
  responses: number,
  wallSeconds: number,
): RoleCpu[] {
  return before.map((start) => {
    const end = after.find((reading) => reading.role === start.role);
    const cpuSeconds = Math.max(0, (end?.cpuSeconds ?? start.cpuSeconds) - start.cpuSeconds);
    return {
      role: start.role,
      cpuSeconds,
      usPerRequest: responses > 0 ? (cpuSeconds * 1e6) / responses : Number.NaN,
      coresBusy: wallSeconds > 0 ? cpuSeconds / wallSeconds : Number.NaN,
    };
  });
}
