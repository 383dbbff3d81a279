import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';

import { MANIFEST_PATTERNS, RUNTIME_KINDS, type RuntimeKind } from '@ml-run/model-contract';

import type { CliDeps } from '../cli-deps';
import { CliError } from '../cli.errors';
import { scaffoldFiles } from './model-templates';

const NAME = new RegExp(MANIFEST_PATTERNS.name);

/** A model name from a folder name: lower-case, "-" for anything else, or undefined. */
export function nameFromFolder(dir: string): string | undefined {
  const name = path
    .basename(path.resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return NAME.test(name) ? name : undefined;
}

/** Writes a new model folder; refuses a folder that has anything in it. */
export async function initModel(
  dir: string,
  runtime: RuntimeKind,
  name?: string,
): Promise<string[]> {
  const modelName = name ?? nameFromFolder(dir);
  if (modelName === undefined || !NAME.test(modelName)) {
    throw new CliError(
      `${name === undefined ? `the folder name of ${dir}` : JSON.stringify(name)} is not a valid ` +
        'model name (a DNS label: [a-z0-9-], 1..63 chars, starting with a letter): pass --name',
    );
  }
  if ((await entriesOf(dir)).length > 0) {
    throw new CliError(`${dir} is not empty: init writes a new model folder`);
  }
  const files = scaffoldFiles(modelName, runtime);
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(dir, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return Object.keys(files);
}

async function entriesOf(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new CliError(`${dir} is not a folder`);
  }
}

export function registerInitCommand(program: Command, deps: CliDeps): void {
  program
    .command('init <dir>')
    .description('scaffold a model folder that passes its own ml-run test')
    .addOption(
      new Option('--runtime <runtime>', 'the model language')
        .choices(RUNTIME_KINDS)
        .makeOptionMandatory(),
    )
    .option('--name <name>', 'the model name (default: the folder name)')
    .action(async (dir: string, options: { runtime: RuntimeKind; name?: string }) => {
      const files = await initModel(dir, options.runtime, options.name);
      deps.out(`created a ${options.runtime} model in ${dir}: ${files.join(', ')}`);
      deps.out(`next: ml-run test ${dir} && ml-run pack ${dir}`);
    });
}
