// esbuild plugin: swc compiles our TypeScript because Nest needs decorator metadata, which
// esbuild does not emit. Shared by the app builds and the image bundles.
import path from 'node:path';
import { transformFile } from '@swc/core';

import swc from './swc-options.cjs';

const { swcOptions } = swc;

export const swcDecorators = {
  name: 'swc-decorators',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.ts$/ }, async (args) => {
      const { code } = await transformFile(args.path, {
        ...swcOptions('es6'),
        sourceMaps: 'inline',
      });
      return { contents: code, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};
