import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';

import type { CliDeps } from '../cli-deps';
import { CliError } from '../cli.errors';
import { authorizedClients } from '../session/clients';

export type PredictOptions = { version?: string; alias?: string };

/** The input text, or the content of the file named after "@". */
export async function readInput(input: string): Promise<string> {
  if (!input.startsWith('@')) return input;
  const file = input.slice(1);
  return readFile(file, 'utf8').catch(() => {
    throw new CliError(`cannot read the input file ${file}`);
  });
}

/** Sends the input through the router and prints the answer's body as it is. */
export async function predict(
  deps: CliDeps,
  name: string,
  input: string,
  options: PredictOptions,
): Promise<void> {
  if (options.version !== undefined && options.alias !== undefined) {
    throw new CliError('give --version or --alias, not both');
  }
  const body = await readInput(input);
  const { router } = await authorizedClients(deps);
  const answer = await router.predict({ name, ...options }, body);
  deps.out(answer.body.replace(/\r?\n$/, ''));
}

export function registerPredictCommand(program: Command, deps: CliDeps): void {
  program
    .command('predict <name> <input>')
    .description('call a model through the router; <input> is the request body, or @file')
    .option('--version <version>', 'a specific version (default: what the alias picks)')
    .option('--alias <alias>', 'an alias, e.g. canary (default: stable)')
    .action((name: string, input: string, options: PredictOptions) =>
      predict(deps, name, input, options),
    );
}
