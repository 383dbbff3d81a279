import type { RuntimeKind } from '@ml-run/model-contract';
import type { DeploymentRecord, DeployTarget } from '@ml-run/registry-contract';

/** One model version to run as `replicas` model-wrapper replicas. */
export type DeploymentSpec = {
  name: string;
  version: string;
  /** The unpacked bundle the wrappers serve. */
  modelDir: string;
  replicas: number;
  /** Extra MLRUN_ settings for the wrappers (auth mode, validator URL, introspection credential). */
  env: Record<string, string>;
  /** How long a replica may take to answer 200 on /readyz before it counts as failed. */
  readyTimeoutMs: number;
  /**
   * The model image as `repository@sha256:<digest>`, the bundle baked in. Required by the
   * swarm target; the process target ignores it and runs `modelDir`.
   */
  image?: string;
  /**
   * The manifest's per-replica `resources` (Kubernetes quantities). Targets that enforce
   * limits (swarm, openshift) apply them; the process target ignores them. `gpu`: GPUs per
   * replica, honoured by the openshift target only (0 or absent: none).
   */
  resources?: { cpu: string; memory: string; gpu?: number };
  /** The model's runtime: node models run inside the wrapper, outside any sandbox. */
  runtime?: RuntimeKind;
};

export type DeploymentListener = (record: DeploymentRecord) => void;

/**
 * Runs model versions as replicas and watches them. Every replica state change (starting,
 * ready, failed, stopped, restarted on a new URL) is reported through `onChange`, so the
 * builder can publish `deployment.changed` and the router can drop a dead replica.
 * Child processes in embedded mode; Docker Swarm and OpenShift in the cluster modes.
 */
export interface Deployer {
  readonly target: DeployTarget;
  /**
   * Starts the replicas; resolves when every one is ready, or rejects with a DeployError
   * (DEPLOYMENT_FAILED, in the model's own words) after stopping them. Deploying a version
   * that is already deployed scales it to `spec.replicas`.
   */
  deploy(spec: DeploymentSpec): Promise<DeploymentRecord>;
  /** Adds replicas (resolving once they are ready) or stops the newest ones. */
  scale(name: string, version: string, replicas: number): Promise<DeploymentRecord>;
  /** Stops every replica of the version and waits for them to exit; unknown versions are a no-op. */
  undeploy(name: string, version: string): Promise<void>;
  list(): DeploymentRecord[];
  get(name: string, version: string): DeploymentRecord | undefined;
  /** Returns the function that unsubscribes. */
  onChange(listener: DeploymentListener): () => void;
  /** Stops everything (shutdown); later deploys are refused. */
  close(): Promise<void>;
}

export const DEPLOYER = Symbol('DEPLOYER');
