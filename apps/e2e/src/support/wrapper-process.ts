import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
const WRAPPER_MAIN = path.join(REPO_ROOT, 'dist/apps/model-wrapper/main.js');

export type WrapperProcess = {
  baseUrl: string;
  process: ChildProcess;
  stderr: () => string;
  /** Resolves with the exit code when the process ends by itself. */
  exited: Promise<number | null>;
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

/** Starts the built model-wrapper (npm run build) on a model directory. */
export async function startWrapper(
  modelDir: string,
  env: Record<string, string> = {},
): Promise<WrapperProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [WRAPPER_MAIN], {
    env: {
      ...process.env,
      MLRUN_MODEL_DIR: modelDir,
      MLRUN_PORT: String(port),
      MLRUN_LOG_LEVEL: 'warn',
      MLRUN_AUTH_MODE: 'disabled',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    process: child,
    stderr: () => stderr,
    exited,
    stop,
  };
}

/** Polls /readyz until 200 and returns every status seen before (0 = refused). */
export async function waitUntilReady(baseUrl: string, timeoutMs = 30_000): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return seen;
    seen.push(status);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(
    `not ready after ${timeoutMs} ms; statuses seen: ${[...new Set(seen)].join(', ')}`,
  );
}

/** Child processes of a pid with their state letter (Z = zombie). */
export function childrenOf(pid: number): { pid: number; state: string }[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,stat=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [child, state] = line.trim().split(/\s+/);
      return { pid: Number(child), state: state ?? '' };
    });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
