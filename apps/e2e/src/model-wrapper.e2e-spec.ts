import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { childrenOf, isAlive, REPO_ROOT } from '@ml-run/process-testing';

import { eventually } from './support/real-components';
import { startWrapper, waitUntilReady, type WrapperProcess } from './support/wrapper-process';

const IRIS = path.join(REPO_ROOT, 'examples/iris-python');
const SLOW_INIT = path.join(REPO_ROOT, 'libs/services/model-wrapper/fixtures/node/slow-init');
const HOSTILE = path.join(REPO_ROOT, 'libs/services/model-wrapper/fixtures/node/hostile-env');
const SETOSA = JSON.stringify({ features: [5.1, 3.5, 1.4, 0.2] });

function predict(baseUrl: string, body: string) {
  return fetch(`${baseUrl}/v1/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
}

async function workersOf(baseUrl: string) {
  const info = (await (await fetch(`${baseUrl}/v1/model`)).json()) as {
    workers: { workers: number; restarts: number };
  };
  return info.workers;
}

describe('model-wrapper process', () => {
  describe('on examples/iris-python with two python workers', () => {
    let sut: WrapperProcess;

    beforeAll(async () => {
      sut = await startWrapper(IRIS, { MLRUN_WORKERS: '2' });
      const before = await waitUntilReady(sut.baseUrl);
      // Before READY the probe may be refused (not listening yet) or 503 (init running), never 200.
      expect(before.every((status) => status === 0 || status === 503)).toBe(true);
    });
    afterAll(() => sut.stop());

    it('returns the right class for an iris feature vector', async () => {
      const res = await predict(sut.baseUrl, SETOSA);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ class: 'setosa' });
    });

    it('serves 10,000 sequential predictions with the same workers and no zombies', async () => {
      const workersBefore = childrenOf(sut.process.pid ?? 0);
      expect(workersBefore).toHaveLength(2);
      for (let i = 0; i < 10_000; i++) {
        const res = await predict(sut.baseUrl, SETOSA);
        if (res.status !== 200) throw new Error(`prediction ${i} answered ${res.status}`);
        await res.arrayBuffer();
      }
      const workersAfter = childrenOf(sut.process.pid ?? 0);
      expect(workersAfter.map((w) => w.pid).sort()).toEqual(workersBefore.map((w) => w.pid).sort());
      expect(workersAfter.filter((w) => w.state.startsWith('Z'))).toEqual([]);
    });

    it('fails only in-flight requests with 502 when a worker is killed under load, then recovers', async () => {
      const [victim] = childrenOf(sut.process.pid ?? 0);
      const statuses: number[] = [];
      let running = true;
      const client = async () => {
        while (running) {
          const res = await predict(sut.baseUrl, SETOSA);
          statuses.push(res.status);
          await res.arrayBuffer();
        }
      };
      const clients = Array.from({ length: 4 }, client);
      await new Promise((resolve) => setTimeout(resolve, 300));
      process.kill(victim?.pid ?? 0, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      running = false;
      await Promise.all(clients);

      const failures = statuses.filter((s) => s !== 200);
      // One worker serves one request at a time: at most that one request may fail.
      expect(failures.every((s) => s === 502)).toBe(true);
      expect(failures.length).toBeLessThanOrEqual(1);
      expect(statuses.length).toBeGreaterThan(100);
      // The replacement imports the model again: on a busy machine that outlasts the load.
      const back = await eventually(
        () => workersOf(sut.baseUrl),
        (workers) => workers.workers === 2,
        30_000,
      );
      expect(back).toMatchObject({ workers: 2, restarts: 1 });
      expect(childrenOf(sut.process.pid ?? 0).filter((w) => w.state.startsWith('Z'))).toEqual([]);
      expect((await predict(sut.baseUrl, SETOSA)).status).toBe(200);
    });

    it('stops its workers when it stops', async () => {
      const workers = childrenOf(sut.process.pid ?? 0);
      // Nest re-raises SIGTERM after its shutdown hooks ran, so there is no exit code to check.
      await sut.stop();
      expect(workers.filter((w) => isAlive(w.pid))).toEqual([]);
    });
  });

  // A replica's credential, in the wrapper's environment from its start (as Swarm and the
  // process target give it), and a node model that answers with whatever it can read: first
  // with MLRUN_SANDBOX=off (the attack works), then sandboxed (it does not).
  describe.each([
    { sandbox: 'off', reads: true },
    { sandbox: 'auto', reads: false },
  ])('with a hostile node model, MLRUN_SANDBOX=$sandbox', ({ sandbox, reads }) => {
    const SECRET = `introspection-${randomBytes(24).toString('hex')}`;
    let sut: WrapperProcess;

    beforeAll(async () => {
      sut = await startWrapper(HOSTILE, {
        MLRUN_INTROSPECTION_TOKEN: SECRET,
        MLRUN_SANDBOX: sandbox,
      });
      await waitUntilReady(sut.baseUrl);
    });
    afterAll(() => sut.stop());

    async function ask(input: string): Promise<string> {
      const res = await predict(sut.baseUrl, input);
      expect(res.status).toBe(200);
      return res.text();
    }

    it("holds the credential in the wrapper's environment (control)", () => {
      const environ = readFileSync(`/proc/${sut.process.pid}/environ`, 'utf8');
      expect(environ).toContain(SECRET);
    });

    it('gives the model its manifest env but not the credential', async () => {
      const answer = await ask('env');
      expect(answer).toContain('manifest-value-4b1d7e');
      expect(answer).not.toContain(SECRET);
    });

    // Unsandboxed the worker shares the wrapper's uid, and /proc/<pid>/environ of a same-uid
    // process is readable; sandboxed it runs as mlrun-model in a pid namespace of its own.
    it(`${reads ? 'reads' : 'cannot read'} the credential from the wrapper's /proc/<ppid>/environ`, async () => {
      const answer = await ask('parent');
      if (reads) {
        expect(answer).toContain(`MLRUN_MODEL_DIR=${HOSTILE}`);
        expect(answer).toContain(SECRET);
      } else {
        expect(answer).not.toContain(SECRET);
      }
    });
  });

  it('answers /readyz 503 while init runs, then 200', async () => {
    const sut = await startWrapper(SLOW_INIT);
    try {
      const before = await waitUntilReady(sut.baseUrl);
      expect(before).toContain(503);
    } finally {
      await sut.stop();
    }
  });

  it('exits with a message naming the variable when a setting is bad', async () => {
    const sut = await startWrapper(IRIS, { MLRUN_MAX_INFLIGHT: 'lots' });
    expect(await sut.exited).toBe(1);
    expect(sut.stderr()).toContain('MLRUN_MAX_INFLIGHT must be an integer');
  });
});
