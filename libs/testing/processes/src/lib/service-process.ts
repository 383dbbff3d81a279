import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// The nearest folder holding nx.json: right from sources and from bundles under dist/.
function findRepoRoot(start: string): string {
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
  }
  throw new Error(`no nx.json above ${start}`);
}

/** The repository root, for locating dist/apps and examples. */
export const REPO_ROOT = findRepoRoot(__dirname);

export type ServiceProcess = {
  process: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  /** Resolves with the exit code when the process ends (null when ended by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM (if still running), then the exit. */
  stop: () => Promise<number | null>;
};

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** Starts a built app (`npm run build`): `node dist/apps/<app>/main.js` with extra env. */
export function startApp(
  app: string,
  env: Record<string, string>,
  args: string[] = [],
): ServiceProcess {
  const main = path.join(REPO_ROOT, 'dist/apps', app, 'main.js');
  const child = spawn(process.execPath, [main, ...args], {
    env: { ...process.env, MLRUN_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited, stop };
}

/**
 * Polls a URL until it answers 200; returns every other status seen first (0 = refused).
 * Given the app's process, fails as soon as that process has exited instead of waiting on.
 */
export async function waitFor200(
  url: string,
  timeoutMs = 30_000,
  app?: Pick<ServiceProcess, 'process'> & Partial<Pick<ServiceProcess, 'stderr'>>,
): Promise<number[]> {
  const seen: number[] = [];
  const statuses = () => [...new Set(seen)].join(', ');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return seen;
    seen.push(status);
    const exit = app && exitOf(app.process);
    if (exit) {
      // Why it exited is in its last words: without them a CI log says nothing useful.
      const tail = app.stderr?.().trim().split('\n').slice(-20).join('\n');
      throw new Error(
        `${url}: the app ${exit} before answering 200; statuses seen: ${statuses()}` +
          (tail ? `\nits stderr ends with:\n${tail}` : ''),
      );
    }
    await sleep(5);
  }
  throw new Error(`${url} not 200 after ${timeoutMs} ms; statuses seen: ${statuses()}`);
}

function exitOf(child: ChildProcess): string | undefined {
  if (child.exitCode !== null) return `exited with code ${child.exitCode}`;
  return child.signalCode ? `was killed by ${child.signalCode}` : undefined;
}
