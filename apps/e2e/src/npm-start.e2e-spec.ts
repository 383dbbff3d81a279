import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  descendantsOf,
  freePort,
  isRunning,
  REPO_ROOT,
  type ProcessEntry,
} from '@ml-run/process-testing';

// The brief's promise: SIGINT or SIGTERM to `npm start` (a supervisor, `kill %1`) stops
// the whole tree, replicas and python workers included, within 10 s.
const STOP_WITHIN_MS = 10_000;

type Started = {
  npm: ChildProcess;
  output: () => string;
  ports: number[];
  dataDir: string;
  /** Every process seen under npm: a failed stop may leave them without a parent. */
  seen: Map<number, ProcessEntry>;
};

async function npmStart(): Promise<Started> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mlrun-npm-start-'));
  const [router, builder, issuer, validator] = await Promise.all([1, 2, 3, 4].map(freePort));
  const npm = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    // Its own process group: the test signals npm alone, and can clean up if it fails.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      MLRUN_DATA_DIR: dataDir,
      MLRUN_ADMIN_PASSWORD: 'npm-start-admin-password',
      MLRUN_ROUTER_PORT: String(router),
      MLRUN_BUILDER_PORT: String(builder),
      MLRUN_AUTH_ISSUER_PORT: String(issuer),
      MLRUN_TOKEN_VALIDATOR_PORT: String(validator),
      MLRUN_LOG_LEVEL: 'warn',
    },
  });
  let output = '';
  npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    npm,
    output: () => output,
    ports: [router, builder, issuer, validator] as number[],
    dataDir,
    seen: new Map(),
  };
}

async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const describeTree = (tree: ProcessEntry[]) =>
  tree.map((p) => `${p.pid} ${p.state} ${p.command}`).join('\n');

describe('npm start', () => {
  let started: Started | undefined;

  afterEach(async () => {
    if (started === undefined) return;
    const { npm, dataDir, seen } = started;
    started = undefined;
    for (const p of descendantsOf(npm.pid ?? 0)) seen.set(p.pid, p);
    if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
    for (const p of seen.values()) if (isRunning(p.pid)) process.kill(p.pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops the control plane, every replica and its python workers on %s to npm',
    async (signal) => {
      started = await npmStart();
      const { npm, output, ports, seen } = started;
      const exited = once(npm, 'exit');
      const ready = await until(() => output().includes('ready. try:'), 180_000);
      expect({ ready, output: ready ? '' : output() }).toEqual({ ready: true, output: '' });

      const tree = descendantsOf(npm.pid ?? 0);
      for (const p of tree) seen.set(p.pid, p);
      const commands = tree.map((p) => p.command);
      expect(commands.filter((c) => c.includes('dist/apps/embedded/main.js'))).toHaveLength(1);
      expect(commands.filter((c) => c.includes('dist/apps/model-wrapper/main.js'))).toHaveLength(2);
      expect(commands.filter((c) => c.includes('mlrun_worker.py')).length).toBeGreaterThan(1);
      for (const port of ports) expect(await listening(port)).toBe(true);

      process.kill(npm.pid ?? 0, signal);
      const stopped = await until(() => tree.every((p) => !isRunning(p.pid)), STOP_WITHIN_MS);
      const alive = tree.filter((p) => isRunning(p.pid));
      expect({ stopped, alive: describeTree(alive) }).toEqual({ stopped: true, alive: '' });
      await exited;
      for (const port of ports) expect(await listening(port)).toBe(false);
    },
    240_000,
  );
});
