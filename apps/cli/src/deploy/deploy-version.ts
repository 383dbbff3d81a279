import { setTimeout as sleep } from 'node:timers/promises';

import type { DeploymentRecord } from '@ml-run/registry-contract';

import { CliError } from '../cli.errors';
import type { BuilderClient } from '../http/builder-client';
import { formatTable } from '../output/format-table';
import { deploymentRequest, type DeployOptions } from './deploy-options';

/** How long deploy waits for replicas to leave `deploying`, and how often it looks. */
export type DeployWait = { timeoutMs: number; pollMs: number };
export const DEFAULT_DEPLOY_WAIT: DeployWait = { timeoutMs: 120_000, pollMs: 500 };

/** Deploys a version, waits until its replicas settle, prints them; a failed deployment throws. */
export async function deployVersion(
  builder: BuilderClient,
  out: (line: string) => void,
  target: { name: string; version: string; options: DeployOptions },
  wait: DeployWait = DEFAULT_DEPLOY_WAIT,
): Promise<DeploymentRecord> {
  const { name, version, options } = target;
  let record = await builder.deploy(name, version, deploymentRequest(options));
  const deadline = Date.now() + wait.timeoutMs;
  while (record.state === 'deploying' && Date.now() < deadline) {
    await sleep(wait.pollMs);
    const model = await builder.getModel(name);
    record = model.deployments.find((d) => d.version === version) ?? record;
  }
  printDeployment(out, record);
  if (record.state === 'failed') {
    throw new CliError(`the deployment of ${name} ${version} failed`);
  }
  return record;
}

export function printDeployment(out: (line: string) => void, record: DeploymentRecord): void {
  out(
    `deployment ${record.name} ${record.version}: ${record.state} ` +
      `(${record.replicas} replicas, target ${record.target})`,
  );
  const replicas = record.replicaStatus;
  const errors = replicas.some((replica) => replica.error !== undefined);
  const headers = ['REPLICA', 'URL', 'STATE', ...(errors ? ['ERROR'] : [])];
  const rows = replicas.map((r) => [r.id, r.url, r.state, ...(errors ? [r.error ?? ''] : [])]);
  if (rows.length > 0) for (const line of formatTable(headers, rows)) out(`  ${line}`);
  if (record.state === 'deploying') {
    out(`  still deploying; follow it with ml-run versions ${record.name}`);
  }
}
