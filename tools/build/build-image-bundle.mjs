// Builds dist/images/<app>/ for container images: main.js with every npm dependency inlined
// plus the files it reads at run time, so the image needs only node (>= 20.19) and python3,
// no node_modules. Run by build-apps.mjs; check-image-bundle.mjs starts the result.
import { cp, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

import { swcDecorators } from './swc-decorators.mjs';

export const IMAGE_APPS = ['model-wrapper'];

// Peers that Nest imports lazily, for features the images don't use. None is installed, and
// Nest reads a failed load as "feature absent" (tryLoadPackage, optionalRequire) or needs the
// package only when the feature is used, exactly as in the unbundled apps. Anything else
// left external fails the build.
export const OPTIONAL_PEERS = {
  '@nestjs/microservices': 'createMicroservice/connectMicroservice; preloaded best-effort',
  '@nestjs/websockets': 'gateways; loaded with optionalRequire',
  '@nestjs/platform-express': 'only when NestFactory.create() gets no adapter',
  '@fastify/multipart': 'only for routes with uploaded files',
  '@fastify/view': 'only for setViewEngine()',
  // mapped-types' fallback for class-transformer releases without cjs/storage, which it
  // tries first (and which is bundled): never reached.
  'class-transformer/storage': 'fallback after class-transformer/cjs/storage',
};

// @nestjs/swagger serves the /docs UI from swagger-ui-dist's folder; the image gets the
// files its page loads (and the licences), copied to this folder next to main.js.
const SWAGGER_UI_DIR = 'swagger-ui-dist';
const SWAGGER_UI_FILES = [
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-16x16.png',
  'favicon-32x32.png',
  'oauth2-redirect.html',
  'oauth2-redirect.js',
  'LICENSE',
  'NOTICE',
  'swagger-ui-bundle.js.LICENSE.txt',
  'swagger-ui-standalone-preset.js.LICENSE.txt',
];

// Rewrites what only works with node_modules on disk; `found` records where swagger-ui-dist is.
function selfContained(found) {
  return {
    name: 'self-contained',
    setup(esbuild) {
      // Its __dirname would be the bundle's folder, and /docs/ would serve main.js itself.
      esbuild.onLoad({ filter: /[\\/]swagger-ui-dist[\\/]absolute-path\.js$/ }, (args) => {
        found.swaggerUiDist = path.dirname(args.path);
        const dir = JSON.stringify(SWAGGER_UI_DIR);
        return {
          contents: `module.exports = () => require('node:path').join(__dirname, ${dir});`,
          loader: 'js',
        };
      });
      // ESM packages (Nest's mapped-types, swagger-ui, load-package) require() through
      // createRequire(import.meta.url), and import.meta is empty in CommonJS output. A plain
      // require() instead: esbuild bundles it when the name is a literal.
      esbuild.onLoad({ filter: /[\\/]node_modules[\\/].*\.m?js$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('createRequire(import.meta.url)')) return undefined;
        const contents = source
          .replace(
            /^[ \t]*(?:const|let|var)\s+require\s*=\s*createRequire\(import\.meta\.url\);?/m,
            '',
          )
          .replaceAll('createRequire(import.meta.url)', 'require');
        return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

function isAllowedExternal(specifier) {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return true;
  return Object.keys(OPTIONAL_PEERS).some(
    (peer) => specifier === peer || specifier.startsWith(`${peer}/`),
  );
}

async function buildImage(root, name, assets) {
  const outdir = path.join(root, 'dist/images', name);
  const outfile = path.join(outdir, 'main.js');
  const found = {};
  await rm(outdir, { recursive: true, force: true });
  const { metafile } = await build({
    entryPoints: [path.join(root, 'apps', name, 'src/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: Object.keys(OPTIONAL_PEERS).flatMap((peer) => [peer, `${peer}/*`]),
    tsconfig: path.join(root, 'tsconfig.base.json'),
    // Not minified (6.6 MiB; 4.5 minified) and no source map: stack traces in the logs stay
    // readable as they are. Nest and our loggers use class names (X.name) as log context.
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    // An import.meta we did not rewrite would be empty at run time: fail the build instead.
    logOverride: { 'empty-import-meta': 'error' },
    plugins: [selfContained(found), swcDecorators],
  });

  const externals = Object.values(metafile.outputs).flatMap((output) =>
    output.imports.filter((i) => i.external).map((i) => i.path),
  );
  const unexpected = [...new Set(externals.filter((specifier) => !isAllowedExternal(specifier)))];
  if (unexpected.length > 0) {
    await rm(outdir, { recursive: true, force: true });
    throw new Error(
      `dist/images/${name}/main.js would need node_modules for: ${unexpected.join(', ')}. ` +
        'Bundle them, or add them to OPTIONAL_PEERS in tools/build/build-image-bundle.mjs if unused.',
    );
  }

  for (const asset of assets[name] ?? []) {
    await cp(path.join(root, asset), path.join(outdir, path.basename(asset)));
  }
  if (found.swaggerUiDist) {
    await mkdir(path.join(outdir, SWAGGER_UI_DIR));
    for (const file of SWAGGER_UI_FILES) {
      await cp(path.join(found.swaggerUiDist, file), path.join(outdir, SWAGGER_UI_DIR, file));
    }
  }
  const { size } = await stat(outfile);
  process.stdout.write(
    `built dist/images/${name}/main.js (${(size / 1024 / 1024).toFixed(1)} MiB, self-contained)\n`,
  );
}

/** Builds every image bundle; `assets` are the files an app reads from next to its main.js. */
export async function buildImageBundles(root, assets) {
  for (const name of IMAGE_APPS) await buildImage(root, name, assets);
}
