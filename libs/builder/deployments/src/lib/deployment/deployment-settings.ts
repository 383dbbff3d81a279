import type { DeployTarget } from '@ml-run/registry-contract';

/** How the builder deploys, from its config and host. */
export type DeploymentSettings = {
  /** Where a deployment runs when the request names no target. */
  defaultTarget: DeployTarget;
  /** How long every replica may take to become READY. */
  readyTimeoutMs: number;
  /** Rolling update: how long the old version serves on after stable moved. */
  drainMs: number;
  /** MLRUN_MAX_REPLICAS_PER_USER: replicas one (non-admin) user may run in all. */
  maxReplicasPerUser: number;
  /** MLRUN_ settings every wrapper gets (auth mode, validator URL, introspection credential). */
  wrapperEnv: Readonly<Record<string, string>>;
  /** True when deployed models get their own Kafka principal (streams need it). */
  modelKafka?: boolean;
};

export const DEPLOYMENT_SETTINGS = Symbol('DEPLOYMENT_SETTINGS');
