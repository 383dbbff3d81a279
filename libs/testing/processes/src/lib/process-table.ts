import { execFileSync } from 'node:child_process';

/** Child processes of a pid with their state letter (Z = zombie). */
export function childrenOf(pid: number): { pid: number; state: string }[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,stat=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [child, state] = line.trim().split(/\s+/);
      return { pid: Number(child), state: state ?? '' };
    });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
