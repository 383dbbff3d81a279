import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { build } from 'esbuild';

import { freePort, REPO_ROOT, waitFor200, type ServiceProcess } from '@ml-run/process-testing';

export type BaselineName = 'echo-server' | 'undici-proxy' | 'node-proxy';

/**
 * Starts one baseline server (a file of this folder) as its own Node process on a free port,
 * so its CPU is read from /proc apart from the generator's, and waits until it answers.
 */
export async function startBaseline(
  name: BaselineName,
  env: Record<string, string> = {},
): Promise<{ url: string; process: ServiceProcess }> {
  const file = await bundleBaseline(name);
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

// Bundled first (esbuild), as run.mjs bundles the benches: the baselines are TypeScript.
async function bundleBaseline(name: BaselineName): Promise<string> {
  const outfile = path.join(REPO_ROOT, 'dist/tools/bench/hot-path-baselines', `${name}.js`);
  await build({
    entryPoints: [path.join(REPO_ROOT, 'tools/bench/src/hot-path/baselines', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
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
