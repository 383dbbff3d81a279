import { InvalidArgumentError, Option } from 'commander';

import {
  DEPLOY_TARGETS,
  type DeploymentRequest,
  type DeploymentStream,
  type DeployTarget,
} from '@ml-run/registry-contract';

/** `--replicas K`: a whole number from 1 to 64 (the manifest's range). */
export function parseReplicas(value: string): number {
  const replicas = Number(value);
  if (!/^\d+$/.test(value) || replicas < 1 || replicas > 64) {
    throw new InvalidArgumentError('must be a whole number from 1 to 64');
  }
  return replicas;
}

export const replicasOption = () =>
  new Option('--replicas <k>', "replicas to run (default: the manifest's replicas)").argParser(
    parseReplicas,
  );

export const targetOption = () =>
  new Option('--target <target>', "where replicas run (default: the builder's)").choices(
    DEPLOY_TARGETS,
  );

export type DeployOptions = { replicas?: number; target?: DeployTarget; stream?: DeploymentStream };

/** The request body: only what was asked for, so the builder's defaults apply otherwise. */
export function deploymentRequest(options: DeployOptions): DeploymentRequest {
  return {
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(options.replicas === undefined ? {} : { replicas: options.replicas }),
    ...(options.stream === undefined ? {} : { stream: options.stream }),
  };
}
