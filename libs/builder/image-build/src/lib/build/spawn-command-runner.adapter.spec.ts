import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { CommandSpec } from './command-runner.port';
import { launchArgv, lookupAccount, SpawnCommandRunner } from './spawn-command-runner.adapter';

const isRoot = process.getuid?.() === 0;
const asRoot = isRoot ? it : it.skip;

const spec = (overrides: Partial<CommandSpec> & Pick<CommandSpec, 'args'>): CommandSpec => ({
  command: process.execPath,
  cwd: os.tmpdir(),
  env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
  readOnly: [],
  writable: [],
  network: true,
  onLine: () => undefined,
  ...overrides,
});

describe(SpawnCommandRunner.name, () => {
  // As a non-root builder: commands run as the builder.
  const sut = new SpawnCommandRunner({ builderUid: 1000 });

  it('streams stdout and stderr lines and answers the exit code', async () => {
    const lines: string[] = [];
    const script = "console.log('one\\ntwo'); console.error('three'); process.exit(3)";
    const code = await sut.run(spec({ args: ['-e', script], onLine: (l) => lines.push(l) }));
    expect(code).toBe(3);
    expect(lines.sort()).toEqual(['one', 'three', 'two']);
  });

  it('gives the command only the environment of its spec, never the builder MLRUN_ settings', async () => {
    process.env['MLRUN_INTROSPECTION_TOKEN'] = 'secret-for-test';
    const lines: string[] = [];
    const script =
      "console.log(process.env.MLRUN_INTROSPECTION_TOKEN ?? 'unset', process.env.ONLY)";
    try {
      await sut.run(
        spec({
          args: ['-e', script],
          env: { ONLY: 'given' },
          onLine: (l) => lines.push(l),
        }),
      );
    } finally {
      delete process.env['MLRUN_INTROSPECTION_TOKEN'];
    }
    expect(lines).toEqual(['unset given']);
  });

  it('kills the command when aborted', async () => {
    const abort = new AbortController();
    const running = sut.run(
      spec({ args: ['-e', 'setTimeout(() => {}, 60000)'], signal: abort.signal }),
    );
    abort.abort();
    expect(await running).toBe(-1);
  });

  it('rejects with the command name when it cannot start', async () => {
    await expect(sut.run(spec({ command: 'no-such-command-xyz', args: [] }))).rejects.toThrow(
      'cannot run no-such-command-xyz',
    );
  });
});

describe(launchArgv.name, () => {
  const account = { uid: 990, gid: 991 };

  it('drops to the account with no groups and no new privileges', () => {
    expect(launchArgv(spec({ command: 'npm', args: ['install'] }), account)).toEqual([
      'setpriv',
      '--reuid=990',
      '--regid=991',
      '--clear-groups',
      '--no-new-privs',
      '--',
      'npm',
      'install',
    ]);
  });

  it('takes the network away first when the spec says so', () => {
    const argv = launchArgv(spec({ command: 'pip', args: [], network: false }), account);
    expect(argv.slice(0, 4)).toEqual(['unshare', '--net', '--', 'setpriv']);
  });

  it('runs the command itself without an account', () => {
    expect(launchArgv(spec({ command: 'npm', args: ['ci'] }), undefined)).toEqual(['npm', 'ci']);
  });
});

describe(lookupAccount.name, () => {
  it('reads uid and gid from a passwd file, undefined for a missing user', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'passwd-'));
    const file = path.join(dir, 'passwd');
    await writeFile(
      file,
      'root:x:0:0::/root:/bin/sh\nmlrun-model:x:990:991::/:/usr/sbin/nologin\n',
    );
    expect(await lookupAccount('mlrun-model', file)).toEqual({ uid: 990, gid: 991 });
    expect(await lookupAccount('nobody-here', file)).toBeUndefined();
    await rm(dir, { recursive: true });
  });

  it('runs commands as the builder when the build user does not exist', async () => {
    const runner = new SpawnCommandRunner({ builderUid: 0, user: 'no-such-user-xyz' });
    expect(await runner.runsAs()).toBeUndefined();
  });
});

// The real drop: root hands the command to an unprivileged account (here `nobody`).
describe('SpawnCommandRunner as root', () => {
  let dir: string;
  let readOnlyDir: string;
  let writableDir: string;
  const write = (target: string) =>
    `require('fs').writeFileSync(${JSON.stringify(target)}, 'x'); console.log('wrote')`;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'runner-'));
    await chmod(dir, 0o755);
    readOnlyDir = path.join(dir, 'bundle');
    writableDir = path.join(dir, 'out');
    await mkdir(readOnlyDir, { mode: 0o755 });
    await mkdir(writableDir, { mode: 0o755 });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  asRoot(
    'lets the command write only into its writable folders, then takes them back',
    async () => {
      const target = path.join(readOnlyDir, 'planted');
      // Positive control: run as the builder, the command writes into the builder's files.
      const asBuilder = new SpawnCommandRunner({ builderUid: 1000 });
      expect(await asBuilder.run(spec({ args: ['-e', write(target)] }))).toBe(0);
      await rm(target);

      const sut = new SpawnCommandRunner({ user: 'nobody' });
      expect(await sut.runsAs()).toEqual(expect.objectContaining({ uid: expect.any(Number) }));
      const lines: string[] = [];
      const refused = await sut.run(
        spec({
          args: ['-e', write(target)],
          writable: [writableDir],
          onLine: (l) => lines.push(l),
        }),
      );
      expect(refused).not.toBe(0);
      expect(lines.join('\n')).toMatch(/EACCES/);
      await expect(stat(target)).rejects.toThrow('ENOENT');

      const output = path.join(writableDir, 'deps.txt');
      expect(await sut.run(spec({ args: ['-e', write(output)], writable: [writableDir] }))).toBe(0);
      expect(await readFile(output, 'utf8')).toBe('x');
      expect((await stat(output)).uid).toBe(0);
      expect((await stat(writableDir)).uid).toBe(0);
    },
  );

  asRoot('runs a command without network when the spec says so', async () => {
    const server: Server = createServer((socket) => socket.end('hello\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const connect =
      `require('net').connect(${port}, '127.0.0.1').on('data', (d) => { console.log(String(d).trim()); process.exit(0) })` +
      `.on('error', (e) => { console.log(e.code); process.exit(1) })`;
    const sut = new SpawnCommandRunner({ user: 'nobody' });
    try {
      const online: string[] = [];
      expect(await sut.run(spec({ args: ['-e', connect], onLine: (l) => online.push(l) }))).toBe(0);
      expect(online).toEqual(['hello']);
      const offline: string[] = [];
      const code = await sut.run(
        spec({ args: ['-e', connect], network: false, onLine: (l) => offline.push(l) }),
      );
      expect(code).toBe(1);
      expect(offline).toEqual([expect.stringMatching(/^E[A-Z]+/)]);
    } finally {
      server.close();
    }
  });
});
