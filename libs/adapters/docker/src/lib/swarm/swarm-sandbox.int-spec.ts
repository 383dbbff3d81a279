import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';

import type { DeploymentSpec } from '@ml-run/deployer';
import type { RuntimeKind } from '@ml-run/model-contract';
import { freePort, registryUnderTest } from '@ml-run/process-testing';
import type { DeploymentRecord } from '@ml-run/registry-contract';

import { pushedModelImage } from '../../testing/iris-image';
import { dockerOf } from '../docker.config';
import { authConfigOf } from '../registry/registry-access';
import { SwarmDeployer } from './swarm-deployer';
import { serviceSpecOf, SWARM_LABELS } from './swarm-service-spec';
import { SwarmServices } from './swarm-services';

// Against the engine and registry of tools/services/docker and tools/services/registry: a
// hostile model inside a real Swarm replica attacks its sandbox.
const STATE = process.env['MLRUN_SERVICES_DIR'] ?? path.join(os.homedir(), '.ml-run/services');
const DOCKER_HOST = process.env['MLRUN_DOCKER_HOST'] ?? `unix://${STATE}/docker/docker.sock`;
const ACCESS = registryUnderTest();
const MIB = 2 ** 20;

// The hostile model: each predict input is one attack, answered with what happened.
const HOSTILE_PY = `
import json, os

def init(ctx):
    pass

def status(pid):
    keep = ('Uid', 'Gid', 'CapEff', 'CapPrm', 'CapAmb', 'NoNewPrivs')
    with open('/proc/%s/status' % pid) as f:
        return {k: v.strip() for k, v in (l.split(':', 1) for l in f) if k in keep}

def attempt(action):
    try:
        return 'ok: %s' % (action(),)
    except OSError as e:
        return 'refused: %s' % (e.strerror,)

def environ_of(pid):
    with open('/proc/%s/environ' % pid, 'rb') as f:
        entries = f.read().split(b'\\0')
    found = [e.split(b'=', 1)[1].decode() for e in entries if e.startswith(b'MLRUN_INTROSPECTION_TOKEN=')]
    return found[0] if found else 'absent'

def write(target):
    with open(target, 'w') as f:
        f.write('pwned')
    return target

def predict(text):
    if text == 'whoami':
        return json.dumps({'self': status('self'), 'wrapper': status(os.getppid())})
    if text == 'steal':
        return attempt(lambda: environ_of(os.getppid()))
    if text == 'setuid':
        return attempt(lambda: os.setuid(10001))
    if text.startswith('write:'):
        return attempt(lambda: write(text[6:]))
    if text.startswith('alloc:'):
        hog = bytearray(int(text[6:]) * 1024 * 1024)
        for i in range(0, len(hog), 4096):
            hog[i] = 1
        return 'survived %d MiB' % (len(hog) // 1048576,)
    return 'unknown'
`;

// A node model runs inside the wrapper's process (PID 1): its allocation is the wrapper's.
const HOG_JS = `
'use strict';
const held = [];
module.exports = {
  init() {},
  predict(input) {
    if (input.startsWith('alloc:')) {
      for (let i = 0; i < Number(input.slice(6)); i++) held.push(Buffer.alloc(1024 * 1024, 1));
      return 'survived';
    }
    return 'ok';
  },
};
`;

const manifest = (name: string, runtime: RuntimeKind) =>
  [
    `name: ${name}`,
    `runtime: ${runtime}`,
    `entry: ${runtime === 'python' ? 'model.py' : 'model.js'}`,
    'codeVersion: 1.0.0',
    'initTimeoutSeconds: 30',
    'resources: { cpu: 500m, memory: 256Mi }',
    '',
  ].join('\n');

async function predict(url: string, input: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${url}/v1/predict`, { method: 'POST', body: input });
  return { status: response.status, body: await response.text() };
}

// The engine's 'oom' events for a container since `since` (ms): its cgroup's OOM killer ran.
async function oomEvents(docker: Docker, containerId: string, since: number): Promise<number> {
  const stream = (await docker.getEvents({
    since: Math.floor(since / 1000) - 1,
    until: Math.ceil(Date.now() / 1000) + 1,
    filters: { type: ['container'], event: ['oom'], container: [containerId] },
  })) as unknown as AsyncIterable<Buffer>;
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text.split('\n').filter((line) => line.trim() !== '').length;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(500);
  }
}

describe('Swarm replica sandbox', () => {
  const maybeDocker = dockerOf({ MLRUN_DOCKER_HOST: DOCKER_HOST });
  if (!maybeDocker) throw new Error('no docker host');
  const docker: Docker = maybeDocker;
  // The pull credential, as the deployer's: the images live only in the registry.
  const swarm = new SwarmServices(docker, authConfigOf(ACCESS.address, ACCESS.pull));
  const run = randomBytes(3).toString('hex');
  const name = `sandbox${run}`;
  const namespace = `sandboxtest-${run}`;
  // A range of its own, so a concurrent builder or the other Swarm spec is not disturbed.
  const portRange = { first: 27_000, last: 27_999 };
  const sut = new SwarmDeployer(docker, { namespace, portRange, registry: ACCESS });
  // The credential a wrapper holds; the model must never learn its value.
  const secret = randomBytes(32).toString('base64url');
  let hostileImage: string;

  const spec = (version: string, image: string, replicas = 1): DeploymentSpec => ({
    name,
    version,
    modelDir: '/unused',
    replicas,
    env: { MLRUN_AUTH_MODE: 'disabled', MLRUN_INTROSPECTION_TOKEN: secret },
    readyTimeoutMs: 180_000,
    image,
    resources: { cpu: '500m', memory: '256Mi' },
  });

  async function testServices(): Promise<Docker.Service[]> {
    return docker.listServices({ filters: { label: [`${SWARM_LABELS.name}=${name}`] } });
  }

  // The containers of a service's running tasks, inspected.
  async function runningContainers(serviceName: string): Promise<Docker.ContainerInspectInfo[]> {
    const listed = await docker.listContainers({
      filters: { label: [`com.docker.swarm.service.name=${serviceName}`] },
    });
    return Promise.all(listed.map((each) => docker.getContainer(each.Id).inspect()));
  }

  beforeAll(async () => {
    hostileImage = await pushedModelImage(docker, `${name}-py`, {
      'ml-run.yaml': manifest(name, 'python'),
      'model.py': HOSTILE_PY,
    });
  }, 300_000);

  afterAll(async () => {
    await sut.close();
    for (const service of await testServices())
      await swarm.remove(service.ID, 250).catch(() => undefined);
  });

  // The positive control: the same image and env in a replica without the sandbox (the
  // image's USER, default capabilities, writable root, the model as the wrapper's uid).
  async function startControl(): Promise<string> {
    // A port no one holds (slot 1 listens on base + 1): a fixed one could be answered by a
    // control left running from another run, with another credential.
    const base = (await freePort()) - 1;
    const hardened = serviceSpecOf(
      { ...spec('0.0.0-control', hostileImage), image: hostileImage },
      base,
      namespace,
    );
    const template = hardened.TaskTemplate as Docker.ContainerTaskSpec;
    const { ContainerSpec: container = {} } = template;
    const plain: Docker.ContainerSpec = {
      Image: container.Image ?? '',
      Command: container.Command?.slice(container.Command.indexOf('--') + 1) ?? [],
      // No uid change and no sandbox of the wrapper's own (its rlimit fallback included).
      Env: [
        ...(container.Env?.filter((entry) => !entry.startsWith('MLRUN_MODEL_UID=')) ?? []),
        'MLRUN_SANDBOX=off',
      ],
    };
    const id = await swarm.create({
      ...hardened,
      Name: `${hardened.Name ?? ''}-control`,
      TaskTemplate: { ...template, ContainerSpec: plain, Resources: {} },
    });
    const controlUrl = `http://127.0.0.1:${base + 1}`;
    const deadline = Date.now() + 180_000;
    for (;;) {
      const answer = await predict(controlUrl, 'whoami').catch(() => undefined);
      if (answer?.status === 200) return controlUrl;
      if (Date.now() > deadline) throw new Error(`control service ${id} never answered`);
      await sleep(500);
    }
  }

  let controlStarted: Promise<string> | undefined;
  const unhardenedControl = () => (controlStarted ??= startControl());

  // Replica 1 is pushed past its memory limit while replica 2 is asked all along.
  async function keepAsking(other: string, input: string, done: () => boolean) {
    const answers: number[] = [];
    while (!done()) {
      answers.push((await predict(other, input).catch(() => ({ status: 0 }))).status);
      await sleep(200);
    }
    return answers;
  }

  // Replica 1 of `image` allocates 600 MiB past its limit while replica 2 is asked `ask`:
  // the cgroup kills replica 1's worker (an engine 'oom' event), its caller gets 502, its
  // wrapper replaces the worker in the same container, and replica 2 answers 200 throughout.
  async function expectWorkerKilledAndReplaced(version: string, image: string, ask: string) {
    const record = await sut.deploy(spec(version, image, 2));
    const [first, second] = record.replicaStatus.map((replica) => replica.url);
    const serviceName = record.replicaStatus[0]?.id.split('.')[0] ?? '';
    const before = await runningContainers(serviceName);
    const since = Date.now();
    let done = false;
    const other = keepAsking(second ?? '', ask, () => done);
    const hog = await predict(first ?? '', 'alloc:600').finally(() => (done = true));
    const answers = await other;

    expect(hog.status).toBe(502);
    const kills = await Promise.all(before.map((each) => oomEvents(docker, each.Id, since)));
    expect(kills.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((status) => status === 200)).toBe(true);
    const back = await until('replica 1 serves again', 120_000, async () => {
      const answer = await predict(first ?? '', ask);
      return answer.status === 200 ? answer : undefined;
    });
    expect(back.status).toBe(200);
    // The worker was the victim, not the wrapper: the same containers live on.
    const after = await runningContainers(serviceName);
    expect(after.map((each) => each.Id).sort()).toEqual(before.map((each) => each.Id).sort());
    await sut.undeploy(name, version);
  }

  describe('a model that allocates past its memory limit', () => {
    it('python: the cgroup kills the worker, the wrapper replaces it, the other replica serves', async () => {
      // The positive control: without the limit, the same allocation succeeds.
      expect(await predict(await unhardenedControl(), 'alloc:600')).toEqual({
        status: 200,
        body: 'survived 600 MiB',
      });
      await expectWorkerKilledAndReplaced('2.0.0', hostileImage, 'whoami');
    }, 420_000);

    it('node: the cgroup kills the worker, not the wrapper; the wrapper replaces it', async () => {
      const image = await pushedModelImage(docker, `${name}-js`, {
        'ml-run.yaml': manifest(name, 'node'),
        'model.js': HOG_JS,
      });
      await expectWorkerKilledAndReplaced('3.0.0', image, 'ping');
    }, 420_000);
  });

  describe('a hostile python model', () => {
    let record: DeploymentRecord;
    let url: string;
    let control: string;

    beforeAll(async () => {
      record = await sut.deploy(spec('1.0.0', hostileImage));
      url = record.replicaStatus[0]?.url ?? '';
      control = await unhardenedControl();
    }, 420_000);

    it('runs in a container with the sandbox settings and the manifest limits', async () => {
      const [container] = await runningContainers(record.replicaStatus[0]?.id.split('.')[0] ?? '');
      expect(container).toBeDefined();
      const { HostConfig: host, Config: config } = container as Docker.ContainerInspectInfo;
      expect(host.ReadonlyRootfs).toBe(true);
      expect(host.CapDrop).toEqual(['ALL']);
      expect(host.CapAdd).toEqual(['CAP_SETUID', 'CAP_SETGID']);
      expect(config.User).toBe('0:0');
      expect(host.Memory).toBe(256 * MIB);
      expect(host.NanoCpus).toBe(5e8);
      expect(host.PidsLimit).toBe(512);
      expect(host.Mounts).toEqual([expect.objectContaining({ Type: 'tmpfs', Target: '/tmp' })]);
      // Docker's health probe (run as root, dropped to the wrapper's uid) passes too.
      const health = await until('the replica is healthy', 90_000, async () => {
        const state = (await docker.getContainer(container?.Id ?? '').inspect()).State;
        return state.Health?.Status === 'healthy' ? state.Health : undefined;
      });
      expect(health.Status).toBe('healthy');
      expect(record.limits).toEqual({
        cpu: '500m',
        memoryBytes: 256 * MIB,
        pids: 512,
        notEnforced: [],
      });
    }, 120_000);

    it('runs as its own uid, without capabilities, with no_new_privs, apart from the wrapper', async () => {
      const answer = await predict(url, 'whoami');
      expect(answer.status).toBe(200);
      const { self, wrapper } = JSON.parse(answer.body) as Record<string, Record<string, string>>;
      expect(self?.['Uid']?.split(/\s+/)).toEqual(['10002', '10002', '10002', '10002']);
      expect(self).toMatchObject({
        CapEff: '0000000000000000',
        CapPrm: '0000000000000000',
        CapAmb: '0000000000000000',
        NoNewPrivs: '1',
      });
      // The wrapper: uid 10001, holding only setuid+setgid (0xc0), also no_new_privs.
      expect(wrapper?.['Uid']?.split(/\s+/)[0]).toBe('10001');
      expect(wrapper).toMatchObject({ CapEff: '00000000000000c0', NoNewPrivs: '1' });
    });

    it("reads the wrapper's credential only where it runs as the wrapper's uid", async () => {
      expect(await predict(control, 'steal')).toEqual({ status: 200, body: `ok: ${secret}` });
      expect(await predict(url, 'steal')).toEqual({
        status: 200,
        body: 'refused: Permission denied',
      });
    });

    it('cannot take the wrapper uid back', async () => {
      expect((await predict(url, 'setuid')).body).toBe('refused: Operation not permitted');
    });

    it('writes to the image only without the sandbox; /tmp stays writable', async () => {
      const home = 'write:/home/mlrun/pwned';
      expect((await predict(control, home)).body).toBe('ok: /home/mlrun/pwned');
      expect((await predict(url, home)).body).toMatch(/^refused: /);
      expect((await predict(url, 'write:/pwned')).body).toMatch(/^refused: /);
      expect((await predict(url, 'write:/tmp/scratch')).body).toBe('ok: /tmp/scratch');
      // Read-only for the wrapper's uid too, whatever the files' owners allow.
      const [container] = await runningContainers(record.replicaStatus[0]?.id.split('.')[0] ?? '');
      const exec = await docker.getContainer(container?.Id ?? '').exec({
        Cmd: ['sh', '-c', 'touch /home/mlrun/pwned 2>&1; true'],
        User: '10001:10001',
        AttachStdout: true,
        AttachStderr: true,
      });
      const stream = await exec.start({});
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).toContain('Read-only file system');
    });
  });
});
