import type { Command } from 'commander';

import type { ModelRecord } from '@ml-run/registry-contract';

import type { CliDeps } from '../cli-deps';
import { formatTable } from '../output/format-table';
import { authorizedClients } from '../session/clients';

export async function listModels(deps: CliDeps): Promise<void> {
  const { builder } = await authorizedClients(deps);
  const { models } = await builder.listModels();
  if (models.length === 0) {
    deps.out('no models yet; push one with ml-run push <dir>');
    return;
  }
  const rows = models.map((m) => [
    m.name,
    m.latestVersion,
    String(m.versions),
    m.aliases.join(',') || '-',
    m.deployed.join(',') || '-',
    m.sandbox?.level ?? '-',
  ]);
  const headers = ['NAME', 'LATEST', 'VERSIONS', 'ALIASES', 'DEPLOYED', 'SANDBOX'];
  for (const line of formatTable(headers, rows)) deps.out(line);
  // Less than full isolation is said in words, not only as a column.
  for (const model of models) {
    if (!model.sandbox || model.sandbox.level === 'full') continue;
    for (const warning of model.sandbox.warnings) {
      deps.out(`warning: ${model.name} sandbox ${model.sandbox.level}: ${warning}`);
    }
  }
}

/** "stable" or "canary:10%" for each alias that routes to the version. */
function aliasesOf(model: ModelRecord, version: string): string {
  const names = Object.entries(model.aliases).flatMap(([alias, target]) =>
    target.versions
      .filter((v) => v.version === version && v.weight > 0)
      .map((v) => (v.weight === 100 ? alias : `${alias}:${v.weight}%`)),
  );
  return names.join(',') || '-';
}

function deploymentOf(model: ModelRecord, version: string): string {
  const deployment = model.deployments.find((d) => d.version === version);
  if (deployment === undefined || deployment.state === 'removed') return '-';
  const ready = deployment.replicaStatus.filter((r) => r.state === 'ready').length;
  const sandbox = deployment.sandbox ? ` sandbox:${deployment.sandbox.level}` : '';
  return `${deployment.state} ${ready}/${deployment.replicas}${sandbox}`;
}

export async function listVersions(deps: CliDeps, name: string): Promise<void> {
  const { builder } = await authorizedClients(deps);
  const model = await builder.getModel(name);
  const rows = model.versions.map((v) => [
    v.version,
    v.state,
    v.runtime,
    v.uploadedAt,
    v.uploadedBy,
    aliasesOf(model, v.version),
    deploymentOf(model, v.version),
  ]);
  const headers = ['VERSION', 'STATE', 'RUNTIME', 'UPLOADED', 'BY', 'ALIASES', 'DEPLOYMENT'];
  for (const line of formatTable(headers, rows)) deps.out(line);
}

export function registerModelsCommands(program: Command, deps: CliDeps): void {
  program
    .command('models')
    .description('list models: latest version, aliases, deployed versions')
    .action(() => listModels(deps));
  program
    .command('versions <name>')
    .description("list a model's versions with their build state, aliases and deployment")
    .action((name: string) => listVersions(deps, name));
}
