import { readdirSync, readFileSync } from 'node:fs';

/**
 * Child processes of a pid with their state letter (Z = zombie), read from /proc so the
 * tests need no procps on the machine.
 */
export function childrenOf(pid: number): { pid: number; state: string }[] {
  return processes()
    .filter((p) => p.ppid === pid)
    .map(({ pid: child, state }) => ({ pid: child, state }));
}

export type ProcessEntry = { pid: number; ppid: number; state: string; command: string };

/** Every process started under `pid`, at any depth (the process itself not included). */
export function descendantsOf(pid: number): ProcessEntry[] {
  const all = processes();
  const found: ProcessEntry[] = [];
  let parents = new Set([pid]);
  while (parents.size > 0) {
    const next = all.filter((p) => parents.has(p.ppid));
    found.push(...next);
    parents = new Set(next.map((p) => p.pid));
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/** Alive and not a zombie: a zombie has exited and holds nothing but its table entry. */
export function isRunning(pid: number): boolean {
  const state = processes().find((p) => p.pid === pid)?.state;
  return state !== undefined && state !== 'Z' && state !== 'X';
}

function processes(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat === undefined) continue;
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    entries.push({
      pid: Number(entry),
      ppid: Number(fields[1]),
      state: fields[0] ?? '',
      command: readCommand(entry),
    });
  }
  return entries.sort((a, b) => a.pid - b.pid);
}

function readCommand(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

function readStat(pid: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited meanwhile
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
