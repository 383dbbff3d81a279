import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';

import type { CliDeps } from '../cli-deps';
import { CliError } from '../cli.errors';
import { authorizedClients } from '../session/clients';
import {
  outputOf,
  settledPrediction,
  showPrediction,
  timeoutOf,
  type WaitOptions,
} from './async-prediction';

export type PredictOptions = WaitOptions & {
  version?: string;
  alias?: string;
  async?: boolean;
  callback?: string;
};

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
  if (options.async || options.wait) return predictAsync(deps, name, body, options);
  if (options.callback !== undefined) throw new CliError('--callback needs --async');
  const { router } = await authorizedClients(deps);
  const answer = await router.predict(
    { name, version: options.version, alias: options.alias },
    body,
  );
  deps.out(answer.body.replace(/\r?\n$/, ''));
}

// Queued for the model's replicas: prints the id, or with --wait the output once settled.
async function predictAsync(deps: CliDeps, name: string, body: string, options: PredictOptions) {
  if (options.version !== undefined || options.alias !== undefined) {
    throw new CliError('--async predicts with the stable alias; drop --version and --alias');
  }
  const { router } = await authorizedClients(deps);
  const accepted = await router.predictAsync(name, body, options.callback);
  if (!options.wait) return deps.out(accepted.id);
  deps.out(outputOf(await settledPrediction(router, accepted.id, timeoutOf(options))));
}

export function registerPredictCommand(program: Command, deps: CliDeps): void {
  program
    .command('predict <name> <input>')
    .description('call a model through the router; <input> is the request body, or @file')
    .option('--version <version>', 'a specific version (default: what the alias picks)')
    .option('--alias <alias>', 'an alias, e.g. canary (default: stable)')
    .option('--async', 'queue the prediction and print its id (read it with ml-run prediction)')
    .option('--wait', 'with --async: wait until it is settled and print its output')
    .option('--timeout <seconds>', 'how long --wait waits', '300')
    .option(
      '--callback <url>',
      'with --async: where the router posts the result (allowlisted hosts)',
    )
    .action((name: string, input: string, options: PredictOptions) =>
      predict(deps, name, input, options),
    );
  program
    .command('prediction <id>')
    .description('read one of your asynchronous predictions by id (JSON)')
    .option('--wait', 'wait until it is settled and print its output')
    .option('--timeout <seconds>', 'how long --wait waits', '300')
    .action((id: string, options: WaitOptions) => showPrediction(deps, id, options));
}
