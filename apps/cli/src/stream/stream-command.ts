import type { Command } from 'commander';

import { isStreamTopicOf, streamTopicPrefixOf } from '@ml-run/prediction-contract';
import { DEFAULT_ALIAS, type ModelRecord } from '@ml-run/registry-contract';

import type { CliDeps } from '../cli-deps';
import { CliError } from '../cli.errors';
import { deployVersion } from '../deploy/deploy-version';
import { authorizedClients } from '../session/clients';

type StreamOptions = { from: string; to: string; version?: string };

/**
 * `ml-run stream <model> --from <topic> --to <topic>`: the model's replicas score every
 * record of --from into --to. Sets the stream on the deployment of the version stable
 * serves (or --version), keeping its replicas; the builder restarts them with it.
 */
export function registerStreamCommand(program: Command, deps: CliDeps): void {
  program
    .command('stream <model>')
    .description("score a Kafka topic into another with the model's replicas")
    .requiredOption('--from <topic>', 'the input topic, in ml-run.stream.<model>.')
    .requiredOption('--to <topic>', 'the output topic, in ml-run.stream.<model>.')
    .option('--version <version>', 'the deployed version to run it (default: what stable serves)')
    .action(async (name: string, options: StreamOptions) => {
      checkTopics(name, options);
      const { builder } = await authorizedClients(deps);
      const model = await builder.getModel(name);
      const version = options.version ?? stableVersionOf(model);
      const running = model.deployments.find((deployment) => deployment.version === version);
      if (!running) {
        throw new CliError(
          `${name} ${version} is not deployed: run ml-run deploy ${name} ${version} first`,
        );
      }
      const stream = { from: options.from, to: options.to };
      await deployVersion(builder, deps.out, {
        name,
        version,
        options: { replicas: running.replicas, stream },
      });
      deps.out(`streaming ${stream.from} -> ${stream.to} through ${name} ${version}`);
    });
}

function checkTopics(name: string, { from, to }: StreamOptions): void {
  const prefix = streamTopicPrefixOf(name);
  for (const [flag, topic] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (!isStreamTopicOf(name, topic)) {
      throw new CliError(
        `${flag} must be a topic in ${name}'s namespace: ${prefix}<name> (letters, digits, . _ -)`,
      );
    }
  }
  if (from === to) throw new CliError('--from and --to must be different topics');
}

function stableVersionOf(model: ModelRecord): string {
  const serving = model.aliases[DEFAULT_ALIAS]?.versions.filter((v) => v.weight > 0) ?? [];
  const [only] = serving;
  if (serving.length !== 1 || !only) {
    throw new CliError(
      `${DEFAULT_ALIAS} of ${model.name} does not send all traffic to one version: pass --version`,
    );
  }
  return only.version;
}
