import path from 'node:path';
import { build } from 'esbuild';

import { REPO_ROOT } from '@ml-run/process-testing';

/**
 * Bundles a TypeScript file of this folder (src/hot-path/<file>.ts) into
 * dist/tools/bench/hot-path/<file>.js, as run.mjs bundles the benches, and returns the
 * output: what the bench's own child processes (baselines, the profiler preload) run.
 */
export async function bundleOwnFile(file: string): Promise<string> {
  const outfile = path.join(REPO_ROOT, 'dist/tools/bench/hot-path', `${file}.js`);
  await build({
    entryPoints: [path.join(REPO_ROOT, 'tools/bench/src/hot-path', `${file}.ts`)],
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
