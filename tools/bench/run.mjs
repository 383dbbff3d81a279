// Runs one benchmark: node tools/bench/run.mjs <name> [--flags]. Bundles
// tools/bench/src/<name>.bench.ts with esbuild into dist/tools/bench and runs it, so
// benchmarks are TypeScript sharing the test helpers, with no separate build step.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [name, ...args] = process.argv.slice(2);
if (!name) {
  process.stderr.write('usage: node tools/bench/run.mjs <name> [--flags]\n');
  process.exit(2);
}
const outfile = path.join(root, 'dist/tools/bench', `${name}.js`);
await build({
  entryPoints: [path.join(root, 'tools/bench/src', `${name}.bench.ts`)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  tsconfig: path.join(root, 'tsconfig.base.json'),
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
