// The node worker as the build ships it (one self-contained file), for tests that run the
// wrapper from its TypeScript sources: there is no mlrun-node-worker.js next to them.
import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';

const REPO_ROOT = path.resolve(__dirname, '../../../../..');
const WORKER_ENTRY = path.resolve(__dirname, '../lib/runtime/node/worker/mlrun-node-worker.ts');

let built: string | undefined;

/** Bundles the worker once per test file; the file is named by its content, so it is shared. */
export function testNodeWorkerScript(): string {
  if (built) return built;
  const result = buildSync({
    entryPoints: [WORKER_ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    tsconfig: path.join(REPO_ROOT, 'tsconfig.base.json'),
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = path.join(tmpdir(), `mlrun-node-worker-${hash}.js`);
  if (!existsSync(file)) {
    // Parallel test files may write it at once: each writes its own copy, then renames.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  built = file;
  return file;
}
