import path from 'node:path';
import { Logger } from '@nestjs/common';

import { until } from '@ml-run/async/testing';
import { modelProcessEnv } from '@ml-run/config';
import { REPO_ROOT } from '@ml-run/process-testing';
import type { DeploymentRecord } from '@ml-run/registry-contract';

import { fakeProcesses, nth, type FakeProcesses } from '../../testing/fake-processes';
import { DeployError, DeployErrorCode } from '../deploy.errors';
import type { DeploymentSpec } from '../deployer.port';
import { ProcessDeployer, type ReplicaOutputLine } from './process-deployer';
import { spawnReplica } from './replica-process';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

describe(ProcessDeployer.name, () => {
  let sut: ProcessDeployer;
  let records: DeploymentRecord[];

  beforeEach(() => {
    records = [];
    for (const level of ['log', 'warn'] as const)
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
  });
  afterEach(async () => {
    await sut.close();
    jest.restoreAllMocks();
  });

  describe('with fake processes', () => {
    let fakes: FakeProcesses;
    let spawned: { command: string; args: readonly string[] }[];

    const spec = (overrides: Partial<DeploymentSpec> = {}): DeploymentSpec => ({
      name: 'iris',
      version: '1.0.0+6526c66fa490',
      modelDir: '/bundles/iris',
      replicas: 1,
      env: { MLRUN_AUTH_MODE: 'disabled' },
      readyTimeoutMs: 1_000,
      ...overrides,
    });

    beforeEach(() => {
      fakes = fakeProcesses();
      fakes.unset = { kind: 'ready' };
      spawned = [];
      sut = new ProcessDeployer({
        wrapperMain: '/dist/apps/model-wrapper/main.js',
        baseEnv: { PATH: '/usr/bin', MLRUN_PORT: 'from the base' },
        spawn: (command, args, env) => {
          spawned.push({ command, args });
          return fakes.spawn(command, args, env);
        },
        freePort: fakes.freePort,
        probe: fakes.probe,
        startingIntervalMs: 2,
        healthIntervalMs: 5,
        stopGraceMs: 50,
        restartBackoff: { initialMs: 10, maxMs: 40, resetAfterMs: 60_000 },
      });
      sut.onChange((record) => records.push(record));
    });

    function withSandbox(sandbox: ConstructorParameters<typeof ProcessDeployer>[0]['sandbox']) {
      const options = (
        sut as unknown as { options: ConstructorParameters<typeof ProcessDeployer>[0] }
      ).options;
      const other = new ProcessDeployer({ ...options, sandbox });
      void sut.close();
      sut = other;
      return other;
    }

    it('refuses every deployment when the host cannot sandbox and the mode fails closed', async () => {
      const refusal =
        'this host cannot sandbox model code (bwrap is not installed): run tools/services/sandbox/up.sh as root, or set MLRUN_SANDBOX=off';
      const deployer = withSandbox({ summary: { level: 'off', warnings: [] }, refusal });
      const error = await deployer.deploy(spec()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DeployError);
      expect(error).toMatchObject({ code: DeployErrorCode.SandboxUnavailable, message: refusal });
      expect(spawned).toEqual([]);
    });

    it('shows the host sandbox on python deployments and none on node ones', async () => {
      const deployer = withSandbox({ summary: { level: 'full', warnings: [] } });
      const python = await deployer.deploy(spec({ runtime: 'python' }));
      const node = await deployer.deploy(spec({ name: 'echo', runtime: 'node' }));
      expect(python.sandbox).toEqual({ level: 'full', warnings: [] });
      expect(node.sandbox).toMatchObject({ level: 'off' });
      expect(
        deployer
          .list()
          .map((record) => record.sandbox?.level)
          .sort(),
      ).toEqual(['full', 'off']);
    });

    it('starts node <wrapperMain> with its bundle, name and port over the base and spec env', async () => {
      await sut.deploy(spec({ env: { MLRUN_AUTH_MODE: 'disabled', MLRUN_PORT: '1' } }));

      expect(spawned).toEqual([
        { command: process.execPath, args: ['/dist/apps/model-wrapper/main.js'] },
      ]);
      expect(nth(fakes.children, 0).env).toEqual({
        PATH: '/usr/bin',
        MLRUN_AUTH_MODE: 'disabled',
        MLRUN_HOST: '127.0.0.1',
        MLRUN_PORT: '41000',
        MLRUN_MODEL_DIR: '/bundles/iris',
        MLRUN_MODEL_NAME: 'iris',
      });
    });

    it('reports deploying until every replica is ready, then ready', async () => {
      const record = await sut.deploy(spec({ replicas: 2 }));

      expect(record).toMatchObject({
        name: 'iris',
        version: '1.0.0+6526c66fa490',
        target: 'process',
        replicas: 2,
        state: 'ready',
        replicaStatus: [
          { id: 'iris-0', url: 'http://127.0.0.1:41000', state: 'ready', restarts: 0 },
          { id: 'iris-1', url: 'http://127.0.0.1:41001', state: 'ready', restarts: 0 },
        ],
      });
      const states = records.map((each) => each.state);
      expect(states.at(-1)).toBe('ready');
      expect(new Set(states.slice(0, -1))).toEqual(new Set(['deploying']));
      expect(sut.get('iris', '1.0.0+6526c66fa490')).toEqual(record);
      expect(sut.list()).toEqual([record]);
    });

    it('refuses replica counts that are not a whole number of at least one', async () => {
      await expect(sut.deploy(spec({ replicas: 0 }))).rejects.toMatchObject({
        code: DeployErrorCode.InvalidReplicas,
      });
      await sut.deploy(spec());
      await expect(sut.scale('iris', '1.0.0+6526c66fa490', 1.5)).rejects.toBeInstanceOf(
        DeployError,
      );
      expect(fakes.children).toHaveLength(1);
    });

    it('fails to scale a version that is not deployed', async () => {
      await expect(sut.scale('iris', '9.9.9', 2)).rejects.toMatchObject({
        code: DeployErrorCode.DeploymentNotFound,
        message: 'iris 9.9.9 is not deployed',
      });
    });

    it('scales a version that is deployed again', async () => {
      await sut.deploy(spec());
      const record = await sut.deploy(spec({ replicas: 3 }));

      expect(record.replicaStatus.map((replica) => replica.id)).toEqual([
        'iris-0',
        'iris-1',
        'iris-2',
      ]);
      expect(fakes.running()).toHaveLength(3);
    });

    it('stops every replica and forgets the version when one fails its init', async () => {
      fakes.unset = { kind: 'not-ready', status: 503 };
      const deployed = sut.deploy(spec({ replicas: 2 }));
      await until(() => fakes.children.length === 2);
      fakes.health.set(nth(fakes.children, 1).url, {
        kind: 'not-ready',
        status: 503,
        initError: 'Error: no weights',
      });

      await expect(deployed).rejects.toMatchObject({
        code: DeployErrorCode.DeploymentFailed,
        message: 'iris 1.0.0+6526c66fa490 did not start: replica iris-1: Error: no weights',
      });
      expect(fakes.running()).toEqual([]);
      expect(sut.list()).toEqual([]);
      expect(records.at(-1)).toMatchObject({
        state: 'failed',
        replicaStatus: [
          { id: 'iris-0', state: 'stopped' },
          { id: 'iris-1', state: 'failed', error: 'Error: no weights' },
        ],
      });
    });

    it('keeps the serving replicas when a scale-up fails', async () => {
      await sut.deploy(spec());
      fakes.allReady();
      fakes.unset = { kind: 'not-ready', status: 503, initError: 'Error: out of memory' };

      await expect(sut.scale('iris', '1.0.0+6526c66fa490', 2)).rejects.toThrow(
        'Error: out of memory',
      );

      expect(sut.get('iris', '1.0.0+6526c66fa490')).toMatchObject({
        replicas: 1,
        state: 'ready',
        replicaStatus: [{ id: 'iris-0', state: 'ready' }],
      });
      expect(fakes.running()).toHaveLength(1);
    });

    it('takes a replica out of the record before its process stops when scaling down', async () => {
      await sut.deploy(spec({ replicas: 2 }));
      const removed = nth(fakes.children, 1);
      let endedWhenReported: boolean | undefined;
      sut.onChange((record) => {
        if (record.replicaStatus.length === 1) endedWhenReported ??= removed.ended;
      });

      const record = await sut.scale('iris', '1.0.0+6526c66fa490', 1);

      expect(record).toMatchObject({
        replicas: 1,
        state: 'ready',
        replicaStatus: [{ id: 'iris-0' }],
      });
      expect(endedWhenReported).toBe(false);
      expect(removed.ended).toBe(true);
    });

    it('reports a dead replica as degraded until its restart is ready', async () => {
      await sut.deploy(spec({ replicas: 2 }));

      nth(fakes.children, 0).exit(null, 'SIGKILL');
      await until(() => records.some((record) => record.state === 'degraded'));
      await until(() => sut.get('iris', '1.0.0+6526c66fa490')?.state === 'ready');

      expect(sut.get('iris', '1.0.0+6526c66fa490')?.replicaStatus[0]).toEqual({
        id: 'iris-0',
        url: 'http://127.0.0.1:41002',
        state: 'ready',
        restarts: 1,
      });
    });

    it('ends a deploy that is still waiting when the version is undeployed', async () => {
      fakes.unset = { kind: 'not-ready', status: 503 };
      const deployed = sut.deploy(spec({ replicas: 2 })).catch((error: unknown) => error);
      await until(() => fakes.children.length === 2);

      await sut.undeploy('iris', '1.0.0+6526c66fa490');

      expect(await deployed).toMatchObject({ code: DeployErrorCode.DeploymentFailed });
      expect(fakes.running()).toEqual([]);
      expect(records.at(-1)?.state).toBe('removed');
      expect(records.filter((record) => record.state === 'removed')).toHaveLength(1);
    });

    it('refuses to deploy once closed', async () => {
      await sut.deploy(spec());
      await sut.close();

      await expect(sut.deploy(spec({ version: '2.0.0' }))).rejects.toMatchObject({
        code: DeployErrorCode.DeployerClosed,
      });
      expect(fakes.running()).toEqual([]);
    });

    it('keeps telling the other listeners when one throws', async () => {
      jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const unsubscribe = sut.onChange(() => {
        throw new Error('listener bug');
      });

      await sut.deploy(spec());
      unsubscribe();

      expect(records.at(-1)?.state).toBe('ready');
      expect(Logger.prototype.error).toHaveBeenCalled();
    });
  });

  describe('with real model-wrapper processes', () => {
    const fixtures = path.join(REPO_ROOT, 'libs/services/model-wrapper/fixtures/node');
    let pids: number[];
    let output: ReplicaOutputLine[];

    const spec = (name: string, modelDir: string, replicas: number): DeploymentSpec => ({
      name,
      version: '1.0.0',
      modelDir,
      replicas,
      env: { MLRUN_AUTH_MODE: 'disabled', MLRUN_LOG_LEVEL: 'warn' },
      // Bounds for what never happens: a node model's replica now also starts a worker
      // process, and on a loaded machine (load average 40 on 2 cores) the wrapper alone took
      // 17 s to listen.
      readyTimeoutMs: 60_000,
    });
    const slowInit = (replicas: number) =>
      spec('slow-init', path.join(fixtures, 'slow-init'), replicas);
    const echo = (replicas: number) =>
      spec('echo', path.join(REPO_ROOT, 'examples/echo-node'), replicas);

    async function predict(url: string, input: string): Promise<string> {
      const response = await fetch(`${url}/v1/predict`, { method: 'POST', body: input });
      expect(response.status).toBe(200);
      return response.text();
    }

    beforeEach(() => {
      pids = [];
      output = [];
      // CI builds the apps before the unit tests (tools/ci/test.sh); so must a local run.
      sut = new ProcessDeployer({
        wrapperMain: path.join(REPO_ROOT, 'dist/apps/model-wrapper/main.js'),
        baseEnv: modelProcessEnv(),
        spawn: (command, args, env) => {
          const child = spawnReplica(command, args, env);
          if (child.pid !== undefined) pids.push(child.pid);
          return child;
        },
        restartBackoff: { initialMs: 200, maxMs: 10_000, resetAfterMs: 60_000 },
        onOutput: (line) => output.push(line),
      });
      sut.onChange((record) => records.push(record));
    });

    it('deploys two replicas that are ready and each serve predictions', async () => {
      const record = await sut.deploy(slowInit(2));

      expect(record).toMatchObject({ replicas: 2, state: 'ready' });
      const urls = record.replicaStatus.map((replica) => replica.url);
      expect(new Set(urls).size).toBe(2);
      for (const url of urls) expect(await predict(url, `hello ${url}`)).toBe(`hello ${url}`);
    }, 120_000);

    it("fails with the model's own init error and leaves no process", async () => {
      const deployed = sut.deploy(spec('init-throws', path.join(fixtures, 'init-throws'), 2));

      await expect(deployed).rejects.toMatchObject({ code: DeployErrorCode.DeploymentFailed });
      await expect(deployed).rejects.toThrow('Error: coefficients/weights.json not found');
      expect(pids).toHaveLength(2);
      expect(pids.filter(isAlive)).toEqual([]);
      expect(sut.list()).toEqual([]);
      expect(records.at(-1)?.state).toBe('failed');
      expect(
        output.some(
          (line) =>
            line.replica.startsWith('init-throws-') && line.line.includes('model init failed'),
        ),
      ).toBe(true);
    }, 120_000);

    it('restarts a replica killed with SIGKILL on a new port', async () => {
      const deployed = await sut.deploy(slowInit(2));
      const killed = nth(sut.pids('slow-init', '1.0.0'), 0);
      const oldUrl = nth(deployed.replicaStatus, 0).url;

      process.kill(killed, 'SIGKILL');
      await until(
        () => records.some((record) => record.replicaStatus[0]?.state === 'failed'),
        5_000,
      );
      const failed = records.find((record) => record.replicaStatus[0]?.state === 'failed');
      expect(failed).toMatchObject({
        state: 'degraded',
        replicaStatus: [{ error: 'was killed by SIGKILL' }, {}],
      });
      await until(() => sut.get('slow-init', '1.0.0')?.state === 'ready', 60_000);

      const restarted = nth(sut.get('slow-init', '1.0.0')?.replicaStatus ?? [], 0);
      expect(restarted).toMatchObject({ id: 'slow-init-0', state: 'ready', restarts: 1 });
      expect(restarted.url).not.toBe(oldUrl);
      expect(await predict(restarted.url, 'again')).toBe('again');
      expect(isAlive(killed)).toBe(false);
    }, 120_000);

    it('scales 2 → 1 → 2', async () => {
      await sut.deploy(echo(2));
      const second = nth(sut.pids('echo', '1.0.0'), 1);

      const down = await sut.scale('echo', '1.0.0', 1);
      expect(down).toMatchObject({
        replicas: 1,
        state: 'ready',
        replicaStatus: [{ id: 'echo-0' }],
      });
      expect(isAlive(second)).toBe(false);

      const up = await sut.scale('echo', '1.0.0', 2);
      expect(up).toMatchObject({ replicas: 2, state: 'ready' });
      expect(up.replicaStatus.map((replica) => replica.id)).toEqual(['echo-0', 'echo-1']);
      expect(await predict(nth(up.replicaStatus, 1).url, 'hi')).toBe('echo: hi');
    }, 120_000);

    it('leaves no process behind after undeploy', async () => {
      await sut.deploy(slowInit(2));
      const running = sut.pids('slow-init', '1.0.0');
      expect(running.filter(isAlive)).toHaveLength(2);

      await sut.undeploy('slow-init', '1.0.0');

      expect(pids.filter(isAlive)).toEqual([]);
      expect(sut.list()).toEqual([]);
      expect(records.at(-1)?.state).toBe('removed');
    }, 120_000);

    it('stops every replica of every version on close', async () => {
      await Promise.all([sut.deploy(slowInit(1)), sut.deploy(echo(1))]);
      expect(pids.filter(isAlive)).toHaveLength(2);

      await sut.close();

      expect(pids.filter(isAlive)).toEqual([]);
      expect(sut.list()).toEqual([]);
    }, 120_000);
  });
});
