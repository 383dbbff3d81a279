// Builds every app to dist/apps/<app>/main.js: our libs bundled in, node_modules left
// external. swc compiles the TypeScript because Nest needs decorator metadata, which
// esbuild does not emit. Then the web console for the browser, next to the builder's bundle
// (build-console.mjs), and the self-contained image bundles (build-image-bundle.mjs).
import { access, cp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

import { buildConsole } from './build-console.mjs';
import { buildImageBundles, IMAGE_APPS } from './build-image-bundle.mjs';
import { swcDecorators } from './swc-decorators.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Files an app reads at run time from next to its bundle.
const assets = {
  // The openshift target renders it for every version (MLRUN_KUBERNETES_TEMPLATE's default).
  builder: ['deploy/openshift/ml-run-model.yaml'],
  'model-wrapper': [
    'libs/services/model-wrapper/src/lib/runtime/python/mlrun_worker.py',
    'libs/services/model-wrapper/src/lib/runtime/r/mlrun_worker.R',
  ],
};

// Programs an app starts as child processes, bundled next to its main.js (in dist/apps and
// dist/images alike) and self-contained: the node model worker runs under the model's
// environment, with no node_modules of ours to lean on.
const workers = {
  'model-wrapper': [
    {
      entry: 'libs/services/model-wrapper/src/lib/runtime/node/worker/mlrun-node-worker.ts',
      file: 'mlrun-node-worker.js',
    },
    // The program of the pod's model container on the openshift target (the worker host).
    {
      entry: 'libs/services/model-wrapper/src/lib/runtime/worker-socket/mlrun-worker-host.ts',
      file: 'mlrun-worker-host.js',
    },
  ],
};

async function buildWorkers(name, outdir) {
  for (const worker of workers[name] ?? []) {
    await build({
      entryPoints: [path.join(root, worker.entry)],
      outfile: path.join(outdir, worker.file),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      tsconfig: path.join(root, 'tsconfig.base.json'),
      keepNames: true,
      logLevel: 'warning',
    });
  }
}

async function apps() {
  const names = [];
  for (const name of await readdir(path.join(root, 'apps'))) {
    // An app is a folder with a main.ts; apps/e2e (tests only) has none.
    const main = path.join(root, 'apps', name, 'src/main.ts');
    if (
      await access(main).then(
        () => true,
        () => false,
      )
    )
      names.push(name);
  }
  return names.sort();
}

async function buildApp(name) {
  const outdir = path.join(root, 'dist/apps', name);
  await rm(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [path.join(root, 'apps', name, 'src/main.ts')],
    outfile: path.join(outdir, 'main.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    tsconfig: path.join(root, 'tsconfig.base.json'),
    sourcemap: true,
    // Nest and our loggers use class names (X.name) as log context: keep them unmangled.
    keepNames: true,
    logLevel: 'warning',
    plugins: [swcDecorators],
  });
  for (const asset of assets[name] ?? []) {
    await cp(path.join(root, asset), path.join(outdir, path.basename(asset)));
  }
  await buildWorkers(name, outdir);
  process.stdout.write(`built dist/apps/${name}/main.js\n`);
}

for (const name of await apps()) await buildApp(name);
// After the builder: its build starts by emptying dist/apps/builder.
for (const { file, bytes } of await buildConsole(root)) {
  process.stdout.write(`built ${file} (${Math.round(bytes / 1024)} KiB)\n`);
}
await buildImageBundles(root, assets);
for (const name of IMAGE_APPS) await buildWorkers(name, path.join(root, 'dist/images', name));
