import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { freePort } from '@ml-run/process-testing';

import { guardUntilStopped } from './exit-guard';
import { peersInstalled } from './install-state';
import { exampleAnswers, PEER_LAUNCHES, type Launch } from './peer-launch';
import { peersVenv } from './peer-paths';
import { IRIS_INPUT, PEER_PROTOCOLS } from './peer-protocol';
import { killTree, treePids } from './process-tree';
import type { PeerName, RunningPeer } from './types';

/** Peers import mlflow/bentoml and start their workers: slow on a loaded 2-core box. */
const READY_TIMEOUT_MS = 180_000;

/**
 * Starts a peer serving the iris example on a free port, waits until it is ready and
 * checks that it answers the benchmark's input exactly as the example does; a peer that
 * answers otherwise is stopped and the call fails (it must not be benchmarked).
 */
export async function startPeer(
  name: PeerName,
  options: { workers: number },
): Promise<RunningPeer> {
  const state = await peersInstalled();
  if (!state.installed) throw new Error(`cannot start ${name}: ${state.reason}`);
  const venv = peersVenv();
  const workDir = mkdtempSync(path.join(tmpdir(), `mlrun-peer-${name}-`));
  const port = await freePort();
  const launch = PEER_LAUNCHES[name]({ venv, workDir, port, workers: options.workers });
  const server = await spawnServer(launch, workDir);
  const protocol = PEER_PROTOCOLS[name];
  const base = `http://127.0.0.1:${port}`;
  const peer: RunningPeer = {
    name,
    url: `${base}${protocol.predictPath}`,
    body: protocol.body(IRIS_INPUT),
    contentType: protocol.contentType,
    pids: () => treePids(server.pid),
    stop: server.stop,
  };
  try {
    await waitReady(`${base}${protocol.readyPath}`, server);
    const [expected] = exampleAnswers(venv, [IRIS_INPUT]);
    await checkAnswer(peer, expected ?? '', server.log);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return peer;
}

type Server = {
  pid: number;
  exited: () => string | undefined;
  log: () => string;
  stop: () => Promise<void>;
};

async function spawnServer(launch: Launch, workDir: string): Promise<Server> {
  const logFile = path.join(workDir, 'peer.log');
  // The peer's output goes to a file, not through a pipe: reading its access log would
  // spend the bench's CPU, and a full pipe would stall the peer.
  const fd = openSync(logFile, 'a');
  const cleanup = () => rmSync(workDir, { recursive: true, force: true });
  try {
    await launch.prepare?.();
  } catch (error) {
    closeSync(fd);
    cleanup();
    throw error;
  }
  const child = spawn(launch.command, launch.args, {
    cwd: workDir,
    env: { ...process.env, ...launch.env },
    stdio: ['ignore', fd, fd],
    detached: true, // its own process group: stop() ends the server and all its workers
  });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${launch.command}`);
  const release = guardUntilStopped(pid);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= killTree(pid).then(() => {
      release();
      cleanup();
    }));
  const exited = () =>
    child.exitCode !== null
      ? `exited with code ${child.exitCode}`
      : (child.signalCode ?? undefined);
  return { pid, exited, log: () => tail(logFile), stop };
}

async function waitReady(url: string, server: Server): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    const exit = server.exited();
    if (exit)
      throw new Error(
        `${url}: the peer ${exit} before it was ready; its log ends:\n${server.log()}`,
      );
    await sleep(100);
  }
  throw new Error(
    `${url} not ready after ${READY_TIMEOUT_MS} ms; the peer's log ends:\n${server.log()}`,
  );
}

async function checkAnswer(peer: RunningPeer, expected: string, log: () => string): Promise<void> {
  const response = await fetch(peer.url, {
    method: 'POST',
    headers: { 'content-type': peer.contentType },
    body: peer.body,
  });
  const answer = await response.text();
  const problem =
    response.status !== 200
      ? `answered ${response.status}`
      : PEER_PROTOCOLS[peer.name].prediction(answer) !== expected
        ? `answered a prediction other than the example's ${expected}`
        : undefined;
  if (problem) {
    throw new Error(`${peer.name} at ${peer.url} ${problem}: ${answer}\nits log ends:\n${log()}`);
  }
}

/** The last lines of a log file, for errors. */
function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
