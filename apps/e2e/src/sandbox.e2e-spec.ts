// A hostile python model on a real wrapper process: what it can read of the platform with
// MLRUN_SANDBOX=off (the positive control) and sandboxed (bwrap + mlrun-model + cgroups,
// from tools/services/sandbox/up.sh), and what the kernel does when it eats memory.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startWrapper, waitUntilReady, type WrapperProcess } from './support/wrapper-process';

const HOSTILE_MODEL = `
import json, os

def init(ctx):
    pass

def read(p):
    try:
        with open(p, 'rb') as f:
            return f.read().decode('utf8', 'replace')
    except Exception as e:
        return 'ERR ' + type(e).__name__

def ancestors():
    pid, seen = os.getppid(), []
    while pid > 0 and len(seen) < 6:
        seen.append(pid)
        stat = read('/proc/%d/stat' % pid)
        if stat.startswith('ERR'):
            break
        pid = int(stat.rsplit(')', 1)[1].split()[1])
    return seen

def predict(s):
    req = json.loads(s)
    if req.get('op') == 'hog':
        chunks = [bytearray(16 * 1024 * 1024) for _ in range(req['mb'] // 16)]
        return json.dumps({'survived': len(chunks)})
    return json.dumps({
        'uid': os.getuid(),
        'environs': {pid: read('/proc/%d/environ' % pid) for pid in ancestors()},
        'files': {p: read(p) for p in req['paths']},
        'env': dict(os.environ),
    })
`;

const MANIFEST = `name: hostile
runtime: python
entry: model.py
codeVersion: 1.0.0
resources: { cpu: '1', memory: 160Mi }
initTimeoutSeconds: 60
env: { MODEL_OWN: 'fine' }
`;

type Answer = {
  uid: number;
  environs: Record<string, string>;
  files: Record<string, string>;
  env: Record<string, string>;
};

type ModelInfo = {
  workers: { workers: number; restarts: number; oomKills: number };
  sandbox: {
    level: string;
    user?: { uid: number };
    limits: Record<string, { enforced: boolean; by?: string; requested?: number }>;
  };
};

describe('sandboxed python replicas', () => {
  const secret = `s3cret-${randomBytes(16).toString('hex')}`;
  const wrapperSecret = `introspection-${randomBytes(24).toString('hex')}`;
  let root: string;
  let modelDir: string;
  let paths: string[];
  const wrappers: WrapperProcess[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'mlrun-sandbox-e2e-'));
    // The platform's files as a root-only tree, like ~/.ml-run and the data dir.
    const platform = path.join(root, 'platform');
    mkdirSync(path.join(platform, 'models', 'other', 'bundle'), { recursive: true, mode: 0o700 });
    writeFileSync(path.join(platform, 'admin-password'), secret, { mode: 0o600 });
    writeFileSync(path.join(platform, 'users.json'), JSON.stringify({ admin: secret }));
    writeFileSync(path.join(platform, 'models', 'other', 'bundle', 'model.py'), `# ${secret}\n`);
    paths = ['admin-password', 'users.json', 'models/other/bundle/model.py'].map((p) =>
      path.join(platform, p),
    );
    // This model's own bundle, also inside the root-only tree: it must still read it.
    modelDir = path.join(platform, 'models', 'hostile', 'bundle');
    mkdirSync(modelDir, { recursive: true });
    writeFileSync(path.join(modelDir, 'model.py'), HOSTILE_MODEL);
    writeFileSync(path.join(modelDir, 'ml-run.yaml'), MANIFEST);
  });

  afterEach(async () => {
    await Promise.all(wrappers.splice(0).map((wrapper) => wrapper.stop()));
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function start(sandbox: string, workers = 1): Promise<WrapperProcess> {
    const wrapper = await startWrapper(modelDir, {
      MLRUN_SANDBOX: sandbox,
      MLRUN_WORKERS: String(workers),
      // The wrapper's own credential, in its environment as in every deployment.
      MLRUN_INTROSPECTION_TOKEN: wrapperSecret,
    });
    wrappers.push(wrapper);
    await waitUntilReady(wrapper.baseUrl, 60_000);
    return wrapper;
  }

  async function probe(wrapper: WrapperProcess): Promise<Answer> {
    const res = await fetch(`${wrapper.baseUrl}/v1/predict`, {
      method: 'POST',
      body: JSON.stringify({ paths }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Answer;
  }

  async function info(wrapper: WrapperProcess): Promise<ModelInfo> {
    return (await (await fetch(`${wrapper.baseUrl}/v1/model`)).json()) as ModelInfo;
  }

  it('reads the platform secrets and runs as root with MLRUN_SANDBOX=off (positive control)', async () => {
    const answer = JSON.stringify(await probe(await start('off')));
    expect(answer).toContain(wrapperSecret);
    expect(answer).toContain(secret);
    expect(JSON.parse(answer).uid).toBe(0);
  });

  it('reads none of them sandboxed, runs as mlrun-model, and still reads its own bundle', async () => {
    const wrapper = await start('full');
    const answer = await probe(wrapper);
    const text = JSON.stringify(answer);
    expect(text).not.toContain(wrapperSecret);
    expect(text).not.toContain(secret);
    const uid = Number(execFileSync('id', ['-u', 'mlrun-model']).toString().trim());
    expect(answer.uid).toBe(uid);
    expect(Object.values(answer.files).every((content) => content.startsWith('ERR '))).toBe(true);
    expect(Object.keys(answer.env).filter((key) => key.startsWith('MLRUN_'))).toEqual([]);
    expect(answer.env['MODEL_OWN']).toBe('fine');
    const { sandbox } = await info(wrapper);
    expect(sandbox).toMatchObject({ level: 'full', user: { uid } });
    expect(sandbox.limits['memoryBytes']).toMatchObject({
      enforced: true,
      requested: 160 * 2 ** 20,
    });
  });

  it('lets a worker past its memory limit be killed by the kernel, counted, and replaced', async () => {
    const hog = (wrapper: WrapperProcess) =>
      fetch(`${wrapper.baseUrl}/v1/predict`, {
        method: 'POST',
        body: JSON.stringify({ op: 'hog', mb: 320 }),
      });
    // Positive control: without the sandbox, 320 MiB is allocated and answered.
    const off = await start('off');
    const unlimited = await hog(off);
    expect(unlimited.status).toBe(200);
    expect(await unlimited.json()).toEqual({ survived: 20 });

    const wrapper = await start('full', 2);
    const killed = await hog(wrapper);
    expect(killed.status).toBe(502);
    await killed.arrayBuffer();
    // The other worker keeps serving while the pool replaces the killed one.
    expect((await probe(wrapper)).uid).not.toBe(0);
    const deadline = Date.now() + 60_000;
    let seen = await info(wrapper);
    while ((seen.workers.workers < 2 || seen.workers.oomKills < 1) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await info(wrapper);
    }
    expect(seen.workers).toMatchObject({ workers: 2, restarts: 1 });
    expect(seen.workers.oomKills).toBeGreaterThanOrEqual(1);
    expect(wrapper.stdout() + wrapper.stderr()).toContain(
      'python worker killed past its memory limit',
    );
  });
});
