// One group of model processes in the kernel's cgroups: made with its limits before the
// first process joins, emptied and removed on close.
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import type { CgroupController, CgroupSupport } from './machine-capabilities';
import { SandboxError, SandboxErrorCode } from './sandbox.errors';
import type { SandboxLimits } from './sandbox.types';

const CPU_PERIOD_US = 100_000;
const GROUPS_DIR = 'mlrun-sandbox';

export type CgroupLimitsApplied = Partial<Record<CgroupController, boolean>>;

export class CgroupGroup {
  private constructor(
    private readonly support: CgroupSupport,
    /** One dir per controller (v1), or the same dir for all (v2). */
    private readonly dirs: Partial<Record<CgroupController, string>>,
    readonly applied: CgroupLimitsApplied,
  ) {}

  /** Makes the group under our own cgroup and writes the limits asked for. */
  static async create(
    support: CgroupSupport,
    name: string,
    limits: SandboxLimits,
  ): Promise<CgroupGroup> {
    const dirs: Partial<Record<CgroupController, string>> = {};
    const applied: CgroupLimitsApplied = {};
    try {
      if (support.version === 'v2') {
        const dir = await makeDir(support.parent, name);
        for (const controller of support.controllers) dirs[controller] = dir;
      } else {
        for (const [controller, parent] of Object.entries(support.parents)) {
          dirs[controller as CgroupController] = await makeDir(parent, name);
        }
      }
      const group = new CgroupGroup(support, dirs, applied);
      await group.writeLimits(limits);
      return group;
    } catch (error) {
      await removeAll(Object.values(dirs));
      throw new SandboxError(
        SandboxErrorCode.CgroupFailed,
        `cannot make the cgroup ${name}: ${(error as Error).message}`,
      );
    }
  }

  get version(): 'v1' | 'v2' {
    return this.support.version;
  }

  /** The cgroup.procs files a process writes its pid to, before it execs model code. */
  procsFiles(): string[] {
    return [...new Set(Object.values(this.dirs))].map((dir) => path.join(dir, 'cgroup.procs'));
  }

  /** Processes the kernel's OOM killer ended in this group since it was made. */
  async oomKills(): Promise<number> {
    const dir = this.dirs.memory;
    if (!dir) return 0;
    const file = this.version === 'v2' ? 'memory.events' : 'memory.oom_control';
    const text = await readFile(path.join(dir, file), 'utf8').catch(() => '');
    return Number(/^oom_kill (\d+)$/m.exec(text)?.[1] ?? 0);
  }

  /** Kills whatever is left (a grandchild the model forked), then removes the dirs. */
  async close(): Promise<void> {
    const dirs = [...new Set(Object.values(this.dirs))];
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const pids = await this.members();
      for (const pid of pids) killQuietly(pid);
      if (pids.length === 0 && (await removeAll(dirs))) return;
      await delay(50);
    }
    await removeAll(dirs);
  }

  private async members(): Promise<number[]> {
    const pids = new Set<number>();
    for (const file of this.procsFiles()) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const line of text.split('\n')) if (line) pids.add(Number(line));
    }
    return [...pids];
  }

  private async writeLimits(limits: SandboxLimits): Promise<void> {
    const { memory, pids, cpu } = this.dirs;
    const v2 = this.version === 'v2';
    if (memory && limits.memoryBytes !== undefined) {
      const bytes = String(limits.memoryBytes);
      if (v2) {
        await writeFile(path.join(memory, 'memory.max'), bytes);
        // No swap: the limit is the memory the group may hold, not a point to start paging.
        await writeFile(path.join(memory, 'memory.swap.max'), '0').catch(() => undefined);
      } else {
        await writeFile(path.join(memory, 'memory.limit_in_bytes'), bytes);
        await writeFile(path.join(memory, 'memory.memsw.limit_in_bytes'), bytes).catch(
          () => undefined,
        );
      }
      this.applied.memory = true;
    }
    if (pids && limits.pids !== undefined) {
      await writeFile(path.join(pids, 'pids.max'), String(limits.pids));
      this.applied.pids = true;
    }
    if (cpu && limits.cpus !== undefined) {
      const quota = String(Math.max(1_000, Math.round(limits.cpus * CPU_PERIOD_US)));
      if (v2) {
        await writeFile(path.join(cpu, 'cpu.max'), `${quota} ${CPU_PERIOD_US}`);
      } else {
        await writeFile(path.join(cpu, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
        await writeFile(path.join(cpu, 'cpu.cfs_quota_us'), quota);
      }
      this.applied.cpu = true;
    }
  }
}

async function makeDir(parent: string, name: string): Promise<string> {
  const dir = path.join(parent, GROUPS_DIR, name);
  await mkdir(path.join(parent, GROUPS_DIR), { recursive: true });
  await removeStale(path.join(parent, GROUPS_DIR));
  await mkdir(dir);
  return dir;
}

// A wrapper killed with SIGKILL cannot remove its group: the next one to make a group
// removes those whose wrapper (the pid in the name, `<model>-<pid>-<n>`) is gone. rmdir
// only succeeds on an empty group, so a group still in use is never taken.
async function removeStale(groupsDir: string): Promise<void> {
  const names = await readdir(groupsDir, { withFileTypes: true }).catch(() => []);
  for (const entry of names) {
    const pid = Number(/-(\d+)-\d+$/.exec(entry.name)?.[1]);
    if (!entry.isDirectory() || !Number.isInteger(pid) || isAlive(pid)) continue;
    await rmdir(path.join(groupsDir, entry.name)).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// rmdir is how a cgroup goes: it fails while a process is still in it.
async function removeAll(dirs: readonly (string | undefined)[]): Promise<boolean> {
  let removed = true;
  for (const dir of new Set(dirs)) {
    if (!dir) continue;
    await rmdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') removed = false;
    });
  }
  return removed;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}
