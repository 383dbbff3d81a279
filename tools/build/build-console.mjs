// Builds the web console (apps/console) for the browser into dist/apps/builder/console/,
// which the builder serves at /console (MLRUN_CONSOLE_DIR): index.html plus content-hashed
// assets under assets/, so the page is never cached and the assets are cached for good.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { build } from 'esbuild';

const ENTRY = 'apps/console/src/main.tsx';
const HTML = 'apps/console/index.html';
// Where index.html finds the assets: the console is served under /console.
const PUBLIC_PATH = '/console/assets';

// The contract libs the console imports (scopes) also hold Node-only helpers (token
// digests with node:crypto) that the console never calls; they resolve to a module that
// throws if anything ever did.
const nodeBuiltinsUnused = {
  name: 'node-builtins-unused',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^node:/ }, (args) => ({
      path: args.path,
      namespace: 'node-builtin-unused',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'node-builtin-unused' }, (args) => ({
      contents: `const unavailable = () => { throw new Error('${args.path} is not available in the browser'); };
export const hash = unavailable, createHash = unavailable, timingSafeEqual = unavailable, randomBytes = unavailable;`,
      loader: 'js',
    }));
  },
};

/** Builds the console into `<root>/dist/apps/builder/console`; returns its files and sizes. */
export async function buildConsole(root) {
  const outdir = path.join(root, 'dist/apps/builder/console');
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: [path.join(root, ENTRY)],
    outdir: path.join(outdir, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    // Pages are loaded on demand (React.lazy in the route table): one chunk each.
    splitting: true,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['es2022', 'chrome111', 'firefox115', 'safari16.4'],
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    jsx: 'automatic',
    tsconfig: path.join(root, 'tsconfig.base.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'linked',
    logLevel: 'warning',
    plugins: [nodeBuiltinsUnused],
  });
  const outputs = Object.entries(result.metafile.outputs).filter(
    ([file]) => !file.endsWith('.map'),
  );
  const script = outputs.find(([file, output]) => output.entryPoint && file.endsWith('.js'));
  const style = outputs.find(([file]) => file.endsWith('.css'));
  if (!script) throw new Error(`esbuild wrote no script for ${ENTRY}`);
  const url = (file) => `${PUBLIC_PATH}/${path.basename(file)}`;
  // The chunks the entry imports statically load with it, not one round trip after it.
  const preloads = script[1].imports
    .filter((imported) => imported.kind === 'import-statement' && !imported.external)
    .map((imported) => `<link rel="modulepreload" href="${url(imported.path)}" />`);
  const styles = style ? [`<link rel="stylesheet" href="${url(style[0])}" />`] : [];
  const html = (await readFile(path.join(root, HTML), 'utf8'))
    .replace('<!-- build: styles -->', [...styles, ...preloads].join('\n    '))
    .replace('<!-- build: scripts -->', `<script type="module" src="${url(script[0])}"></script>`);
  await mkdir(outdir, { recursive: true });
  await writeFile(path.join(outdir, 'index.html'), html);
  await precompress(path.join(outdir, 'assets'));
  return outputs.map(([file, output]) => ({
    file: path.relative(root, path.resolve(file)),
    bytes: output.bytes,
  }));
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

// Compressed once here, not per request: `<file>.br` and `<file>.gz` beside each script and
// stylesheet, for a server that sends them to clients that accept them (768 KiB → ~220).
async function precompress(dir) {
  for (const name of await readdir(dir)) {
    if (!/\.(js|css)$/.test(name)) continue;
    const file = path.join(dir, name);
    const content = await readFile(file);
    const options = { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } };
    await writeFile(`${file}.br`, await brotli(content, options));
    await writeFile(`${file}.gz`, await gzipped(content, { level: 9 }));
  }
}
