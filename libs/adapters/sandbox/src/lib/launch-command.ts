// The command line that starts one model process: join the cgroups, enter the namespaces,
// set rlimits, drop to the model's uid, exec. Pure: the tests read the argv it makes.
import path from 'node:path';

import type { Bind, SpawnSpec } from './sandbox.types';

export type LaunchTools = {
  sh: string;
  env: string;
  bwrap?: string;
  prlimit?: string;
  setpriv?: string;
};

export type LaunchSettings = {
  tools: LaunchTools;
  /** bwrap's namespaces and binds; without it the child sees the host's paths. */
  namespaces: boolean;
  user?: { uid: number; gid: number };
  /** cgroup.procs files the first process writes its own pid to before exec. */
  cgroupProcs: readonly string[];
  rlimits: { addressSpaceBytes?: number; processes?: number };
  /** What the host's root dirs are (`/lib` a symlink to usr/lib, ...), for bwrap. */
  hostRoot: HostRoot;
};

/** Per top-level dir: a symlink target, `dir`, or absent. */
export type HostRoot = Record<string, string | 'dir' | undefined>;

export type Launch = { command: string; args: string[]; env: Record<string, string> };

/** Top-level dirs of a Debian-like system the dynamic loader and interpreters need. */
export const SYSTEM_DIRS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/** Only what libc, python and node read from /etc: no host credentials or service files. */
export const ETC_FILES = [
  '/etc/passwd',
  '/etc/group',
  '/etc/hosts',
  '/etc/host.conf',
  '/etc/resolv.conf',
  '/etc/nsswitch.conf',
  '/etc/gai.conf',
  '/etc/localtime',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/alternatives',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/os-release',
  '/etc/mime.types',
];

// $$ is the shell's pid, and exec keeps it: the model process is in the group from its
// first instruction. A write that fails stops the launch (125) rather than run unlimited.
const JOIN_CGROUPS =
  'p=$$; while [ "$1" != -- ]; do echo "$p" > "$1" || exit 125; shift; done; shift; exec "$@"';

// What the launch chain itself runs with: nothing of ours, nothing of the model's.
export const CHAIN_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

export function launchCommand(settings: LaunchSettings, spec: SpawnSpec): Launch {
  const chain = [
    ...joinCgroups(settings),
    ...(settings.namespaces ? bwrapArgs(settings, spec) : []),
    ...prlimitArgs(settings),
    ...setprivArgs(settings),
  ];
  if (chain.length === 0) {
    return { command: spec.command, args: [...spec.args], env: { ...spec.env } };
  }
  // The model's environment is set only after the uid change (env -i): a variable such as
  // LD_PRELOAD from a manifest must never reach the chain's processes that still run as root.
  const modelEnv = Object.entries(spec.env).map(([key, value]) => `${key}=${value}`);
  const argv = [...chain, settings.tools.env, '-i', '--', ...modelEnv, spec.command, ...spec.args];
  const [command, ...args] = argv;
  return { command, args, env: { PATH: CHAIN_PATH } };
}

function joinCgroups({ tools, cgroupProcs }: LaunchSettings): string[] {
  if (cgroupProcs.length === 0) return [];
  return [tools.sh, '-c', JOIN_CGROUPS, 'sh', ...cgroupProcs, '--'];
}

function bwrapArgs({ tools, hostRoot }: LaunchSettings, spec: SpawnSpec): string[] {
  if (!tools.bwrap) throw new Error('namespaces need bwrap');
  const args = [
    tools.bwrap,
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--die-with-parent',
    '--new-session',
    // Keep only what setpriv needs to drop to the model's uid; it drops these too.
    '--cap-drop',
    'ALL',
    ...['CAP_SETUID', 'CAP_SETGID', 'CAP_SETPCAP'].flatMap((cap) => ['--cap-add', cap]),
    '--clearenv',
    '--setenv',
    'PATH',
    CHAIN_PATH,
    '--ro-bind',
    '/usr',
    '/usr',
  ];
  for (const dir of SYSTEM_DIRS) {
    const kind = hostRoot[dir];
    if (kind === 'dir') args.push('--ro-bind', dir, dir);
    else if (kind !== undefined) args.push('--symlink', kind, dir);
  }
  // Made 0755 first: bwrap would make /etc 0700 for the first file bound in it, and the
  // model's uid could then read none of them (node reads /etc/ssl/openssl.cnf at start).
  args.push('--perms', '0755', '--dir', '/etc');
  for (const file of ETC_FILES) args.push('--ro-bind-try', file, file);
  // /tmp writable by the model's uid (1777, as on any host): R makes its session dir there.
  args.push('--proc', '/proc', '--dev', '/dev', '--perms', '1777', '--tmpfs', '/tmp');
  const all = [...(spec.readOnly ?? []), ...(spec.writable ?? [])];
  args.push(
    ...parentDirs(all),
    ...binds('--ro-bind', spec.readOnly),
    ...binds('--bind', spec.writable),
  );
  args.push('--chdir', spec.cwd ?? '/tmp', '--');
  return args;
}

// bwrap makes a bind's missing parents with the host parents' modes: /root would be 0700
// and hide an interpreter bound at /root/.pyenv/... from the model's uid.
function parentDirs(list: readonly Bind[]): string[] {
  const dirs = new Set<string>();
  for (const { target } of list) {
    for (
      let dir = path.posix.dirname(target);
      dir !== '/' && dir !== '.';
      dir = path.posix.dirname(dir)
    ) {
      dirs.add(dir);
    }
  }
  // Those under the system's own read-only mounts exist already and cannot be made.
  const system = ['/usr', '/etc', '/proc', '/dev', ...SYSTEM_DIRS];
  return [...dirs]
    .filter((dir) => !system.some((root) => dir === root || dir.startsWith(`${root}/`)))
    .sort((a, b) => a.length - b.length)
    .flatMap((dir) => ['--perms', '0755', '--dir', dir]);
}

function binds(flag: string, list: readonly Bind[] | undefined): string[] {
  return (list ?? []).flatMap((bind) => [flag, bind.source, bind.target]);
}

function prlimitArgs({ tools, rlimits }: LaunchSettings): string[] {
  const limits: string[] = [];
  if (rlimits.addressSpaceBytes !== undefined) limits.push(`--as=${rlimits.addressSpaceBytes}`);
  if (rlimits.processes !== undefined) limits.push(`--nproc=${rlimits.processes}`);
  if (limits.length === 0) return [];
  if (!tools.prlimit) throw new Error('rlimits need prlimit');
  return [tools.prlimit, ...limits, '--'];
}

function setprivArgs({ tools, user }: LaunchSettings): string[] {
  if (!user) return [];
  if (!tools.setpriv) throw new Error('a uid change needs setpriv');
  return [
    tools.setpriv,
    `--reuid=${user.uid}`,
    `--regid=${user.gid}`,
    '--clear-groups',
    '--no-new-privs',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--',
  ];
}
