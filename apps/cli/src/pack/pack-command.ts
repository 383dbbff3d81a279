import path from 'node:path';
import type { Command } from 'commander';

import type { CliDeps } from '../cli-deps';
import { formatBytes } from '../progress/progress-bar';
import { packModel } from './pack-model';

export function registerPackCommand(program: Command, deps: CliDeps): void {
  program
    .command('pack <dir>')
    .description(
      'zip a model folder into a bundle (skips .git, node_modules, __pycache__, .DS_Store, ' +
        '*.pyc; refuses symlinks; same content, same bytes) and check it as the builder will',
    )
    .option('-o, --output <file>', 'where to write the zip (default: ./<name>-<version>.zip)')
    .action(async (dir: string, options: { output?: string }) => {
      const { file, bytes, bundle } = await packModel(dir, options.output);
      const files = bundle.entries.filter((entry) => !entry.isDirectory).length;
      deps.out(`name     ${bundle.manifest.name}`);
      deps.out(`version  ${bundle.version}`);
      deps.out(`size     ${formatBytes(bytes)} (${bytes} bytes, ${files} files)`);
      deps.out(`file     ${displayPath(file)}`);
    });
}

/** Relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}
