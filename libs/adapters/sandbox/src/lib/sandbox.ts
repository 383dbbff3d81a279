// The sandbox model processes are spawned through: one Sandbox per process (the machine's
// capabilities and the mode), one SandboxGroup per replica (its cgroup and limits).
import { spawn, type ChildProcess } from 'node:child_process';
import { lstat, readlink } from 'node:fs/promises';

import { CgroupGroup } from './cgroups';
import { decideIsolation, planLimits, sandboxReport, type Isolation } from './isolation';
import { launchCommand, SYSTEM_DIRS, type HostRoot, type LaunchSettings } from './launch-command';
import {
  detectCapabilities,
  type CgroupController,
  type DetectOptions,
  type MachineCapabilities,
} from './machine-capabilities';
import type { Bind, SandboxLimits, SandboxMode, SandboxReport, SpawnSpec } from './sandbox.types';

/** How a model process is started: the one hook python (and node) workers spawn through. */
export type SpawnModelProcess = (spec: SpawnSpec) => ChildProcess;

export type GroupOptions = { name: string; limits: SandboxLimits };

/** What a runtime needs of its replica's sandbox (SandboxGroup, or none at all). */
export type ModelProcessLauncher = {
  readonly spawn: SpawnModelProcess;
  visiblePath(bind: Bind): string;
  report(): SandboxReport;
  oomKills(): Promise<number>;
  close(): Promise<void>;
};

export class Sandbox {
  private constructor(
    readonly isolation: Isolation,
    private readonly caps: MachineCapabilities,
    private readonly hostRoot: HostRoot,
  ) {}

  /** Probes the machine and settles the mode; throws SANDBOX_UNAVAILABLE when it cannot be had. */
  static async detect(mode: SandboxMode, options: DetectOptions = {}): Promise<Sandbox> {
    const caps = await detectCapabilities(options);
    return Sandbox.from(mode, caps);
  }

  static async from(mode: SandboxMode, caps: MachineCapabilities): Promise<Sandbox> {
    return new Sandbox(decideIsolation(mode, caps), caps, await readHostRoot());
  }

  get capabilities(): MachineCapabilities {
    return this.caps;
  }

  /** Makes a replica's group: its cgroup (when the machine has one) with the limits. */
  async group(options: GroupOptions): Promise<SandboxGroup> {
    const { isolation, caps } = this;
    const warnings: string[] = [];
    let cgroup: CgroupGroup | undefined;
    if (isolation.mode !== 'off' && caps.cgroups && hasAny(options.limits)) {
      const name = `${options.name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${process.pid}-${++groupCount}`;
      cgroup = await CgroupGroup.create(caps.cgroups, name, options.limits).catch(
        (error: Error) => {
          warnings.push(`${error.message}; falling back to rlimits`);
          return undefined;
        },
      );
    }
    const controllers = cgroup
      ? (Object.keys(cgroup.applied) as CgroupController[])
      : ([] as CgroupController[]);
    const planned = planLimits(
      isolation,
      caps,
      options.limits,
      cgroup && { version: cgroup.version, controllers },
    );
    const settings: LaunchSettings = {
      tools: caps,
      namespaces: isolation.namespaces,
      ...(isolation.user ? { user: isolation.user } : {}),
      cgroupProcs: cgroup?.procsFiles() ?? [],
      rlimits: planned.rlimits,
      hostRoot: this.hostRoot,
    };
    return new SandboxGroup(settings, sandboxReport(isolation, planned.reports, warnings), cgroup);
  }
}

let groupCount = 0;

export class SandboxGroup implements ModelProcessLauncher {
  constructor(
    private readonly settings: LaunchSettings,
    private readonly summary: SandboxReport,
    private readonly cgroup: CgroupGroup | undefined,
  ) {}

  /** Whether the child sees bind targets (true) or the host's own paths (false). */
  get remapsPaths(): boolean {
    return this.settings.namespaces;
  }

  /** The path the child uses for a bind: its target in a namespace, else the host path. */
  visiblePath(bind: Bind): string {
    return this.remapsPaths ? bind.target : bind.source;
  }

  report(): SandboxReport {
    return this.summary;
  }

  readonly spawn: SpawnModelProcess = (spec) => {
    const launch = launchCommand(this.settings, spec);
    return spawn(launch.command, launch.args, {
      env: launch.env,
      stdio: stdioOf(spec),
      // In a namespace the child's cwd is set by bwrap; the host cwd must merely exist.
      cwd: this.remapsPaths ? '/' : spec.cwd,
    });
  };

  /** Model processes the kernel's OOM killer ended in this group. */
  oomKills(): Promise<number> {
    return this.cgroup?.oomKills() ?? Promise.resolve(0);
  }

  /** Kills what is left in the group and removes its cgroup. */
  async close(): Promise<void> {
    await this.cgroup?.close();
  }
}

/** No sandbox: the child runs as this process's user, with only the env it is given. */
export const spawnUnsandboxed: SpawnModelProcess = (spec) =>
  spawn(spec.command, [...spec.args], {
    env: { ...spec.env },
    stdio: stdioOf(spec),
    ...(spec.cwd ? { cwd: spec.cwd } : {}),
  });

/**
 * No sandbox at all (tests, MLRUN_SANDBOX=off without limits, in-process runtimes): the
 * report says so and why, and claims no limit.
 */
export function unsandboxedLauncher(why: string, limits: SandboxLimits = {}): ModelProcessLauncher {
  const notHeld = (requested: number | undefined) =>
    requested === undefined ? { enforced: false } : { requested, enforced: false, note: why };
  const report: SandboxReport = {
    mode: 'off',
    level: 'off',
    namespaces: false,
    limits: {
      memoryBytes: notHeld(limits.memoryBytes),
      cpus: notHeld(limits.cpus),
      pids: notHeld(limits.pids),
    },
    warnings: [why],
  };
  return {
    spawn: spawnUnsandboxed,
    visiblePath: (bind) => bind.source,
    report: () => report,
    oomKills: () => Promise.resolve(0),
    close: () => Promise.resolve(),
  };
}

function stdioOf(spec: SpawnSpec): ('pipe' | 'ignore')[] {
  return [...(spec.stdio ?? ['pipe', 'pipe', 'pipe'])];
}

function hasAny(limits: SandboxLimits): boolean {
  return Object.values(limits).some((value) => value !== undefined);
}

async function readHostRoot(): Promise<HostRoot> {
  const root: HostRoot = {};
  for (const dir of SYSTEM_DIRS) {
    const info = await lstat(dir).catch(() => undefined);
    if (!info) continue;
    root[dir] = info.isSymbolicLink()
      ? await readlink(dir)
      : info.isDirectory()
        ? 'dir'
        : undefined;
  }
  return root;
}
