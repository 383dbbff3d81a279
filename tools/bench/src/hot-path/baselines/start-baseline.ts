import { spawn } from 'node:child_process';
import { once } from 'node:events';

import { freePort, waitFor200, type ServiceProcess } from '@ml-run/process-testing';

import { bundleOwnFile } from '../bundle';

export type BaselineName = 'echo-server' | 'undici-proxy' | 'node-proxy';

/**
 * Starts one baseline server (a file of this folder) as its own Node process on a free port,
 * so its CPU is read from /proc apart from the generator's, and waits until it answers.
 */
export async function startBaseline(
  name: BaselineName,
  env: Record<string, string> = {},
): Promise<{ url: string; process: ServiceProcess }> {
  const file = await bundleOwnFile(`baselines/${name}`);
  const port = await freePort();
  const service = spawnNode(file, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor200(`${url}/`, 10_000, service);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return { url, process: service };
}

function spawnNode(file: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { process: child, stdout: () => '', stderr: () => stderr, exited, stop };
}
