// The real thing: bwrap, setpriv and cgroups on this machine (tools/services/sandbox/up.sh).
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { Sandbox, type SandboxGroup } from './sandbox';
import type { SandboxMode } from './sandbox.types';

// Prints what a hostile child can see: its uid, its parent's environment, a root-only file
// and a file of another bundle, each as its content or the error.
const PROBE = `
import json, os, sys
def read(p):
    try:
        with open(p, 'rb') as f: return f.read().decode('utf8', 'replace')
    except Exception as e: return 'ERR ' + type(e).__name__
out = {'uid': os.getuid(), 'gid': os.getgid(), 'env': dict(os.environ),
       'parentEnviron': read('/proc/%d/environ' % os.getppid()),
       'secret': read(sys.argv[1]), 'own': read('/bundle/own.txt')}
print(json.dumps(out))
`;

const HOG = `
import sys
chunks = []
while True:
    chunks.append(bytearray(16 * 1024 * 1024))
    print(len(chunks), flush=True)
`;

type ProbeAnswer = {
  uid: number;
  env: Record<string, string>;
  parentEnviron: string;
  secret: string;
  own: string;
};

function run(
  group: SandboxGroup,
  args: string[],
  dir: string,
): Promise<{ out: string; code: number | null }> {
  const bundle = { source: path.join(dir, 'bundle'), target: '/bundle' };
  const child = group.spawn({
    command: '/usr/bin/python3',
    args,
    env: { PYTHONUNBUFFERED: '1', MODEL_SETTING: 'visible' },
    readOnly: [bundle],
  });
  child.stdin?.end();
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ out, code })));
}

describe(Sandbox.name, () => {
  const secretValue = `secret-${randomBytes(12).toString('hex')}`;
  let dir: string;
  let secretFile: string;
  const groups: SandboxGroup[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-int-'));
    await chmod(dir, 0o755);
    // A platform secret in a root-only dir, as ~/.ml-run and the data dir are.
    await mkdir(path.join(dir, 'private'), { mode: 0o700 });
    secretFile = path.join(dir, 'private', 'admin-password');
    await writeFile(secretFile, secretValue, { mode: 0o600 });
    await mkdir(path.join(dir, 'bundle'), { mode: 0o755 });
    await writeFile(path.join(dir, 'bundle', 'own.txt'), 'own bundle', { mode: 0o644 });
    await writeFile(path.join(dir, 'probe.py'), PROBE, { mode: 0o644 });
    await writeFile(path.join(dir, 'hog.py'), HOG, { mode: 0o644 });
  });

  afterEach(async () => {
    await Promise.all(groups.splice(0).map((group) => group.close()));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function groupFor(mode: SandboxMode, memoryBytes?: number): Promise<SandboxGroup> {
    const sandbox = await Sandbox.detect(mode);
    const group = await sandbox.group({
      name: 'int-spec',
      limits: { memoryBytes, pids: 64, cpus: 1 },
    });
    groups.push(group);
    return group;
  }

  async function probe(mode: SandboxMode): Promise<ProbeAnswer> {
    const group = await groupFor(mode);
    // The probe script is shown to the child the way a worker script is: bound read-only.
    const script = group.remapsPaths ? '/bundle/probe.py' : path.join(dir, 'probe.py');
    if (group.remapsPaths) await writeFile(path.join(dir, 'bundle', 'probe.py'), PROBE);
    const { out } = await run(group, [script, secretFile], dir);
    return JSON.parse(out) as ProbeAnswer;
  }

  it('lets an unsandboxed child (MLRUN_SANDBOX=off) read root-only files: the positive control', async () => {
    const answer = await probe('off');
    expect(answer.uid).toBe(0);
    expect(answer.secret).toBe(secretValue);
    // Its parent (this test runner) is readable too: here it holds no secret, the wrapper does.
    expect(answer.parentEnviron).not.toMatch(/^ERR/);
  });

  it('runs a fully sandboxed child as mlrun-model, with only its env, blind to root-only files', async () => {
    const answer = await probe('full');
    const user = (await Sandbox.detect('full')).isolation.user;
    expect(user?.name).toBe('mlrun-model');
    expect(answer.uid).toBe(user?.uid);
    expect(answer.uid).not.toBe(0);
    expect(answer.secret).toMatch(/^ERR /);
    expect(JSON.stringify(answer)).not.toContain(secretValue);
    expect(answer.parentEnviron).toMatch(/^ERR /);
    expect(answer.own).toBe('own bundle');
    // LC_CTYPE comes from python's own locale coercion (PEP 538).
    const allowed = ['MODEL_SETTING', 'PYTHONUNBUFFERED', 'LC_CTYPE'];
    expect(Object.keys(answer.env).filter((key) => !allowed.includes(key))).toEqual([]);
    expect(answer.env['MODEL_SETTING']).toBe('visible');
  });

  it('reports full isolation and cgroup limits on this machine', async () => {
    const group = await groupFor('full', 256 * 1024 * 1024);
    const report = group.report();
    expect(report.level).toBe('full');
    expect(report.limits.memoryBytes).toMatchObject({
      enforced: true,
      requested: 256 * 1024 * 1024,
    });
    expect(report.limits.memoryBytes.by).toMatch(/^cgroup-v[12]$/);
    expect(report.limits.pids).toMatchObject({ enforced: true });
    expect(report.limits.cpus).toMatchObject({ enforced: true });
  });

  it('has the kernel kill a child past its memory limit, and counts the kill', async () => {
    const limit = 96 * 1024 * 1024;
    const off = await groupFor('off', limit);
    // Positive control: unsandboxed, the hog passes the limit (stopped by the test at 8 chunks).
    const control = off.spawn({
      command: '/usr/bin/python3',
      args: [path.join(dir, 'hog.py')],
      env: {},
    });
    const passed = await new Promise<boolean>((resolve) => {
      control.stdout?.on('data', (chunk: Buffer) => {
        if (
          /^(\d+)$/m.test(chunk.toString()) &&
          Number(chunk.toString().trim().split('\n').pop()) >= 8
        ) {
          control.kill('SIGKILL');
          resolve(true);
        }
      });
      control.on('close', () => resolve(false));
    });
    expect(passed).toBe(true);

    const group = await groupFor('full', limit);
    await writeFile(path.join(dir, 'bundle', 'hog.py'), HOG);
    const { out, code } = await run(group, ['/bundle/hog.py'], dir);
    const chunks = Math.max(
      ...out
        .split('\n')
        .filter((l) => /^\d+$/.test(l))
        .map(Number),
    );
    expect(chunks).toBeLessThan(limit / (16 * 1024 * 1024));
    expect(code).not.toBe(0);
    expect(await group.oomKills()).toBeGreaterThanOrEqual(1);
  });

  it('removes the empty groups of wrappers that died without closing them', async () => {
    const group = await groupFor('full', 64 * 1024 * 1024);
    const procs = (group as unknown as { cgroup: { procsFiles(): string[] } }).cgroup.procsFiles();
    // A group named for a pid that no longer runs (pid_max is far below this).
    const stale = path.join(path.dirname(path.dirname(procs[0])), 'gone-2147483646-1');
    await mkdir(stale);
    await groupFor('full', 64 * 1024 * 1024);
    await expect(stat(stale)).rejects.toThrow();
  });

  it('removes its cgroup on close', async () => {
    const group = await groupFor('full', 64 * 1024 * 1024);
    const procs = (group as unknown as { cgroup: { procsFiles(): string[] } }).cgroup.procsFiles();
    expect(procs.length).toBeGreaterThan(0);
    await group.close();
    for (const file of procs) await expect(stat(path.dirname(file))).rejects.toThrow();
    await expect(readFile(procs[0])).rejects.toThrow();
  });
});
