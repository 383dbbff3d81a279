import type { Command } from 'commander';

import {
  aliasTargetProblem,
  type AliasTarget,
  type SetAliasRequest,
} from '@ml-run/registry-contract';

import type { CliDeps } from '../cli-deps';
import { CliError } from '../cli.errors';
import { authorizedClients } from '../session/clients';

/** `v1=90,v2=10` → weighted versions (a version may hold "=" only before the last one). */
export function parseWeights(value: string): AliasTarget {
  const versions = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.lastIndexOf('=');
      const weight = Number(part.slice(at + 1));
      if (at <= 0 || !/^\d+$/.test(part.slice(at + 1))) {
        throw new CliError(`--weights: "${part}" is not <version>=<weight>, e.g. 1.0.0+abc=90`);
      }
      return { version: part.slice(0, at), weight };
    });
  const target = { versions };
  const problem = aliasTargetProblem(target);
  if (problem !== undefined) throw new CliError(`--weights: ${problem}`);
  return target;
}

/** The alias body from a version or --weights (exactly one of them). */
export function aliasRequest(version?: string, weights?: string): SetAliasRequest {
  if ((version === undefined) === (weights === undefined)) {
    throw new CliError('name one version, or weighted versions with --weights v1=90,v2=10');
  }
  return version !== undefined ? { version } : parseWeights(weights ?? '');
}

function describeRequest(request: SetAliasRequest): string {
  if ('version' in request) return request.version;
  return request.versions.map((v) => `${v.version} (${v.weight}%)`).join(', ');
}

export function registerAliasCommand(program: Command, deps: CliDeps): void {
  program
    .command('alias <name> <alias> [version]')
    .description('point an alias (e.g. stable) at a version, or split it by weight (canary)')
    .option('--weights <weights>', 'weighted versions summing to 100, e.g. v1=90,v2=10')
    .action(
      async (
        name: string,
        alias: string,
        version: string | undefined,
        options: { weights?: string },
      ) => {
        const request = aliasRequest(version, options.weights);
        const { builder } = await authorizedClients(deps);
        await builder.setAlias(name, alias, request);
        deps.out(`alias ${alias} of ${name} now points at ${describeRequest(request)}`);
      },
    );
}
