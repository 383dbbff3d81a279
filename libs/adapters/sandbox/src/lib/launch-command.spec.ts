import { launchCommand, type LaunchSettings } from './launch-command';

const tools = {
  sh: '/bin/sh',
  env: '/usr/bin/env',
  bwrap: '/usr/bin/bwrap',
  setpriv: '/usr/bin/setpriv',
  prlimit: '/usr/bin/prlimit',
};
const spec = {
  command: '/usr/bin/python3',
  args: ['-u', '/opt/mlrun/worker.py'],
  env: { PYTHONUNBUFFERED: '1', MODEL_KEY: 'v' },
  readOnly: [{ source: '/data/models/iris/1/bundle', target: '/model' }],
  writable: [{ source: '/var/scratch', target: '/scratch' }],
  cwd: '/model',
};
const full: LaunchSettings = {
  tools,
  namespaces: true,
  user: { uid: 999, gid: 998 },
  cgroupProcs: ['/cg/memory/x/cgroup.procs', '/cg/pids/x/cgroup.procs'],
  rlimits: {},
  hostRoot: { '/lib': 'usr/lib', '/lib64': 'usr/lib64', '/bin': 'usr/bin', '/sbin': 'dir' },
};

describe(launchCommand.name, () => {
  it('joins the cgroups first, then bwrap, then setpriv, then the command', () => {
    const { command, args } = launchCommand(full, spec);
    expect(command).toBe('/bin/sh');
    expect(args.slice(2, 6)).toEqual([
      'sh',
      '/cg/memory/x/cgroup.procs',
      '/cg/pids/x/cgroup.procs',
      '--',
    ]);
    const order = ['/usr/bin/bwrap', '/usr/bin/setpriv', '/usr/bin/python3'].map((tool) =>
      args.indexOf(tool),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(args.slice(-2)).toEqual(['-u', '/opt/mlrun/worker.py']);
  });

  it('sets the model environment only after the uid change; the chain runs with PATH alone', () => {
    const { env, args } = launchCommand(full, spec);
    expect(env).toEqual({ PATH: '/usr/sbin:/usr/bin:/sbin:/bin' });
    expect(args.join(' ')).not.toContain('MODEL_KEY=v --');
    const setpriv = args.indexOf('/usr/bin/setpriv');
    const envAt = args.indexOf('/usr/bin/env');
    expect(envAt).toBeGreaterThan(setpriv);
    expect(args.slice(envAt, envAt + 5)).toEqual([
      '/usr/bin/env',
      '-i',
      '--',
      'PYTHONUNBUFFERED=1',
      'MODEL_KEY=v',
    ]);
    expect(args.slice(0, setpriv).join(' ')).not.toContain('MODEL_KEY');
  });

  it('makes pid, ipc and mount namespaces that die with the wrapper, keeping the host network', () => {
    const { args } = launchCommand(full, spec);
    expect(args).toEqual(
      expect.arrayContaining([
        '--unshare-pid',
        '--unshare-ipc',
        '--die-with-parent',
        '--new-session',
      ]),
    );
    expect(args).not.toContain('--unshare-net');
    expect(args).not.toContain('--unshare-all');
  });

  it('shows the system read-only, the bundle read-only at its target and a private /tmp', () => {
    const joined = launchCommand(full, spec).args.join(' ');
    expect(joined).toContain('--ro-bind /usr /usr');
    expect(joined).toContain('--symlink usr/lib /lib');
    expect(joined).toContain('--ro-bind /sbin /sbin');
    expect(joined).toContain('--ro-bind /data/models/iris/1/bundle /model');
    expect(joined).toContain('--bind /var/scratch /scratch');
    expect(joined).toContain('--tmpfs /tmp');
    expect(joined).toContain('--chdir /model');
    expect(joined).not.toMatch(/--bind \/ |--ro-bind \/ |\/root|\/etc \/etc/);
  });

  it('drops to the model uid with no groups, no new privileges and no capabilities', () => {
    const { args } = launchCommand(full, spec);
    const at = args.indexOf('/usr/bin/setpriv');
    expect(args.slice(at + 1, args.indexOf('--', at))).toEqual([
      '--reuid=999',
      '--regid=998',
      '--clear-groups',
      '--no-new-privs',
      '--inh-caps=-all',
      '--bounding-set=-all',
    ]);
  });

  it('changes uid without namespaces in uid mode, and sets rlimits when there is no cgroup', () => {
    const { command, args } = launchCommand(
      {
        ...full,
        namespaces: false,
        cgroupProcs: [],
        rlimits: { addressSpaceBytes: 1024, processes: 64 },
      },
      spec,
    );
    expect(command).toBe('/usr/bin/prlimit');
    expect(args.slice(0, 3)).toEqual(['--as=1024', '--nproc=64', '--']);
    expect(args).not.toContain('/usr/bin/bwrap');
    expect(args).toContain('/usr/bin/setpriv');
  });

  it('runs the command itself when nothing is asked', () => {
    const launch = launchCommand(
      { ...full, namespaces: false, user: undefined, cgroupProcs: [] },
      spec,
    );
    expect([launch.command, ...launch.args]).toEqual([
      '/usr/bin/python3',
      '-u',
      '/opt/mlrun/worker.py',
    ]);
  });
});
