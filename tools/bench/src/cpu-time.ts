import { readFileSync } from 'node:fs';

// /proc reports CPU times in USER_HZ, which Linux fixes at 100 for user space.
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system, all threads) the given processes have used so far, from
 * /proc/<pid>/stat. Read before and after a window, the difference is what they spent in
 * it; a process gone meanwhile reads as 0, so pass pids that live through the window.
 * Resolution 10 ms per process: windows of seconds of CPU keep it under 1%.
 */
export function processCpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) ticks += cpuTicksOf(stat);
  }
  return ticks / TICKS_PER_SECOND;
}

/** utime + stime of one /proc/<pid>/stat line (fields 14 and 15, after the `(comm)`). */
export function cpuTicksOf(stat: string): number {
  // comm may hold spaces and parentheses: the fields start after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and [12].
  return Number(fields[11]) + Number(fields[12]);
}

function readStat(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
}
