// The console solves the model in the browser: qnet and everything it imports must bundle
// for the browser without Node's built-in modules (the console's build would stub them out,
// and a stubbed call fails only when it runs).
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '../../..');

describe('@ml-run/qnet in a browser bundle', () => {
  it('imports no Node built-in module', async () => {
    const result = await build({
      entryPoints: [path.join(ROOT, 'libs/qnet/src/index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      // Left external, so they show up as imports instead of failing the build.
      external: ['node:*', ...builtinModules],
    });
    const imports = Object.values(result.metafile.inputs).flatMap((input) =>
      input.imports.map((imported) => imported.path),
    );
    const builtins = imports.filter(
      (name) => name.startsWith('node:') || builtinModules.includes(name),
    );
    expect(imports.length).toBeGreaterThan(0);
    expect(builtins).toEqual([]);
  });
});
