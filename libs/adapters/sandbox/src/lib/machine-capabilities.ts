// What this machine lets the platform do to model processes; probed once per process.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, readFile, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SANDBOX_USER = 'mlrun-model';

export type CgroupController = 'memory' | 'pids' | 'cpu';

/** Where groups may be made, per controller: v2 needs all three in one delegated dir. */
export type CgroupSupport =
  | { version: 'v2'; parent: string; controllers: CgroupController[] }
  | { version: 'v1'; parents: Partial<Record<CgroupController, string>> };

export type MachineCapabilities = {
  sh: string;
  env: string;
  /** A bwrap that made mount, pid and ipc namespaces here; why not otherwise. */
  bwrap?: string;
  bwrapProblem?: string;
  setpriv?: string;
  prlimit?: string;
  /** Root, or CAP_SETUID + CAP_SETGID: may switch a child to another uid. */
  canSetUid: boolean;
  user?: { name: string; uid: number; gid: number };
  cgroups?: CgroupSupport;
};

export type DetectOptions = {
  user?: string;
  cgroupRoot?: string;
  /** Seams for tests. */
  procSelf?: string;
};

const TOOL_DIRS = ['/usr/bin', '/usr/sbin', '/bin', '/sbin', '/usr/local/bin'];
const CAP_SETGID = 6;
const CAP_SETUID = 7;

export async function detectCapabilities(
  options: DetectOptions = {},
): Promise<MachineCapabilities> {
  const [sh, env, bwrap, setpriv, prlimit] = await Promise.all(
    ['sh', 'env', 'bwrap', 'setpriv', 'prlimit'].map(findTool),
  );
  const procSelf = options.procSelf ?? '/proc/self';
  const bwrapCheck = bwrap ? await bwrapWorks(bwrap) : 'bwrap is not installed';
  return {
    sh: sh ?? '/bin/sh',
    env: env ?? '/usr/bin/env',
    ...(bwrap && bwrapCheck === undefined ? { bwrap } : { bwrapProblem: bwrapCheck }),
    ...(setpriv ? { setpriv } : {}),
    ...(prlimit ? { prlimit } : {}),
    canSetUid: await canSetUid(procSelf),
    ...(await lookUpUser(options.user ?? SANDBOX_USER)),
    ...(await cgroupSupport(options.cgroupRoot ?? '/sys/fs/cgroup', procSelf)),
  };
}

async function findTool(name: string): Promise<string | undefined> {
  // System dirs only: the tools run as root, so a PATH entry must not choose them.
  for (const dir of TOOL_DIRS) {
    const candidate = path.join(dir, name);
    if (await access(candidate, constants.X_OK).then(yes, no)) return candidate;
  }
  return undefined;
}

// Installed is not enough: a container may forbid the namespaces bwrap needs.
async function bwrapWorks(bwrap: string): Promise<string | undefined> {
  const args = ['--unshare-pid', '--unshare-ipc', '--ro-bind', '/', '/', '--proc', '/proc', 'true'];
  try {
    await run(bwrap, args, { timeout: 10_000, env: {} });
    return undefined;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    return `bwrap cannot make namespaces here: ${stderr || (error as Error).message}`;
  }
}

async function canSetUid(procSelf: string): Promise<boolean> {
  if (process.getuid?.() === 0) return true;
  const status = await readFile(path.join(procSelf, 'status'), 'utf8').catch(() => '');
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (!hex) return false;
  const caps = BigInt(`0x${hex}`);
  const has = (bit: number): boolean => ((caps >> BigInt(bit)) & 1n) === 1n;
  return has(CAP_SETUID) && has(CAP_SETGID);
}

async function lookUpUser(name: string): Promise<Pick<MachineCapabilities, 'user'>> {
  try {
    const { stdout } = await run('getent', ['passwd', name], { timeout: 5_000 });
    const [, , uid, gid] = stdout.trim().split(':');
    const user = { name, uid: Number(uid), gid: Number(gid) };
    return Number.isInteger(user.uid) && user.uid > 0 ? { user } : {};
  } catch {
    return {};
  }
}

async function cgroupSupport(
  root: string,
  procSelf: string,
): Promise<Pick<MachineCapabilities, 'cgroups'>> {
  const own = parseProcCgroup(
    await readFile(path.join(procSelf, 'cgroup'), 'utf8').catch(() => ''),
  );
  const v2 = await delegatedV2(root, own.get(''));
  if (v2) return { cgroups: v2 };
  const parents: Partial<Record<CgroupController, string>> = {};
  for (const controller of ['memory', 'pids', 'cpu'] as const) {
    const parent = await writableV1Parent(root, controller, own.get(controller));
    if (parent) parents[controller] = parent;
  }
  return Object.keys(parents).length > 0 ? { cgroups: { version: 'v1', parents } } : {};
}

/** /proc/self/cgroup → controller → path ('' for the v2 line). */
export function parseProcCgroup(text: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    for (const controller of match[1].split(',')) paths.set(controller, match[2]);
  }
  return paths;
}

// v2 only counts when our own group already delegates memory, pids and cpu to children.
async function delegatedV2(
  root: string,
  ownPath: string | undefined,
): Promise<CgroupSupport | undefined> {
  for (const base of [root, path.join(root, 'unified')]) {
    const parent = path.join(base, ownPath ?? '/');
    const delegated = await readFile(path.join(parent, 'cgroup.subtree_control'), 'utf8').catch(
      () => '',
    );
    const controllers = (['memory', 'pids', 'cpu'] as const).filter((c) =>
      delegated.split(/\s+/).includes(c),
    );
    if (controllers.includes('memory') && (await canMakeChild(parent))) {
      return { version: 'v2', parent, controllers };
    }
  }
  return undefined;
}

async function writableV1Parent(
  root: string,
  controller: CgroupController,
  ownPath: string | undefined,
): Promise<string | undefined> {
  const mount = path.join(root, controller);
  const isV1 = await stat(path.join(mount, 'cgroup.procs')).then(yes, no);
  if (!isV1 || (await stat(path.join(mount, 'cgroup.subtree_control')).then(yes, no))) return;
  // Our own group when the mount shows the host's tree, else the mount's root.
  const own = ownPath ? path.join(mount, ownPath) : mount;
  const parent = (await stat(own).then(yes, no)) ? own : mount;
  return (await canMakeChild(parent)) ? parent : undefined;
}

async function canMakeChild(parent: string): Promise<boolean> {
  const probe = path.join(parent, `mlrun-probe-${process.pid}`);
  try {
    await mkdir(probe);
    await rmdir(probe);
    return true;
  } catch {
    return false;
  }
}

function yes(): boolean {
  return true;
}

function no(): boolean {
  return false;
}
