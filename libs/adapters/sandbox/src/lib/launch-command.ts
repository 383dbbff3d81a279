// The command line that starts one model process: join the cgroups, enter the namespaces,
// set rlimits, drop to the model's uid, exec. Pure: the tests read the argv it makes.
import type { Bind, SpawnSpec } from './sandbox.types';

export type LaunchTools = { sh: string; bwrap?: string; prlimit?: string; setpriv?: string };

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

export function launchCommand(settings: LaunchSettings, spec: SpawnSpec): Launch {
  const argv = [
    ...joinCgroups(settings),
    ...(settings.namespaces ? bwrapArgs(settings, spec) : []),
    ...prlimitArgs(settings),
    ...setprivArgs(settings),
    spec.command,
    ...spec.args,
  ];
  const [command, ...args] = argv;
  // Every process of the chain sees only the child's environment: no secret passes by.
  return { command, args, env: { ...spec.env } };
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
    ...Object.entries(spec.env).flatMap(([key, value]) => ['--setenv', key, value]),
    '--ro-bind',
    '/usr',
    '/usr',
  ];
  for (const dir of SYSTEM_DIRS) {
    const kind = hostRoot[dir];
    if (kind === 'dir') args.push('--ro-bind', dir, dir);
    else if (kind !== undefined) args.push('--symlink', kind, dir);
  }
  for (const file of ETC_FILES) args.push('--ro-bind-try', file, file);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  args.push(...binds('--ro-bind', spec.readOnly), ...binds('--bind', spec.writable));
  args.push('--chdir', spec.cwd ?? '/tmp', '--');
  return args;
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
