/**
 * Where replicas run: child processes (embedded), Docker Swarm, OpenShift. The one list of
 * targets: the builder's config, request checks and API docs, the CLI and the console read it.
 * @example DEPLOY_TARGETS.includes('swarm') // true
 */
export const DEPLOY_TARGETS = ['process', 'swarm', 'openshift'] as const;

/** One of DEPLOY_TARGETS. */
export type DeployTarget = (typeof DEPLOY_TARGETS)[number];

/** @example isDeployTarget('swarm') // true; isDeployTarget('kubernetes') // false */
export function isDeployTarget(value: unknown): value is DeployTarget {
  return (DEPLOY_TARGETS as readonly unknown[]).includes(value);
}

/**
 * Stream scoring (`ml-run stream <model> --from <topic> --to <topic>`): the replicas score
 * every record of `from` into `to`, same key. Both topics lie in the model's own Kafka
 * namespace `ml-run.stream.<name>.`; never a platform topic.
 * @example { from: 'ml-run.stream.iris.in', to: 'ml-run.stream.iris.scored' }
 */
export type DeploymentStream = { from: string; to: string };

/**
 * `POST /v1/models/{name}/versions/{version}/deployment` body. A `stream` differing from
 * the running one restarts the version's replicas with it (Kafka keeps the records).
 * @example { target: 'process', replicas: 2, stream: { from: 'ml-run.stream.iris.in', to: 'ml-run.stream.iris.scored' } }
 */
export type DeploymentRequest = {
  target?: DeployTarget;
  replicas?: number;
  stream?: DeploymentStream;
};

/** Where one replica is. */
export const REPLICA_STATES = ['starting', 'ready', 'failed', 'stopped'] as const;
export type ReplicaState = (typeof REPLICA_STATES)[number];

/** Where a deployment is: `degraded` while a replica is not ready outside a deploy. */
export const DEPLOYMENT_STATES = ['deploying', 'ready', 'degraded', 'failed', 'removed'] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/**
 * A model-wrapper replica's own lifecycle (docs/architecture.md §4), as its `/readyz` and
 * `GET /v1/model` answer `state`; the process deployer reads INIT_FAILED from `/readyz`.
 * @example { status: 'not ready', state: WrapperState.InitFailed } // a /readyz body
 */
export enum WrapperState {
  Starting = 'STARTING',
  Ready = 'READY',
  InitFailed = 'INIT_FAILED',
  Stopping = 'STOPPING',
}

/** One replica: its base URL (the router calls `<url>/v1/predict`) and health. */
export type ReplicaStatus = {
  id: string;
  url: string;
  state: ReplicaState;
  restarts: number;
  /** Why it is failed, in the model's own words when init failed. */
  error?: string;
};

/**
 * What each replica of a deployment may use, as its target enforces it (the manifest's
 * `resources` and the target's process cap). A limit the target cannot enforce is left out
 * and named in `notEnforced` with why: a record never claims a limit that does not hold.
 * @example { cpu: '500m', memoryBytes: 536870912, pids: 512, notEnforced: [] }
 */
export type ReplicaLimits = {
  /** CPU time, in Kubernetes quantity form (`500m` = half a CPU). */
  cpu?: string;
  memoryBytes?: number;
  /** Processes and threads at once. */
  pids?: number;
  notEnforced: string[];
};

/**
 * How a deployment's model code is isolated on its target: `full` (own namespaces and an
 * unprivileged uid), `container` (a container of its own beside the wrapper's, in the
 * same pod), `partial` (one of them), `off` (runs as the platform's user). The
 * warnings say what is missing and which limits are not enforced.
 * @example { level: 'partial', warnings: ['no namespaces (bwrap is not installed): model code sees this host\'s files and processes'] }
 */
export type DeploymentSandbox = {
  level: 'full' | 'container' | 'partial' | 'off';
  warnings: string[];
};

/**
 * A deployed version: what the router routes to (READY replicas only).
 * @example { name: 'iris', version: '1.0.0+6526c66fa490', target: 'process', replicas: 2, state: 'ready', replicaStatus: [...] }
 */
export type DeploymentRecord = {
  name: string;
  version: string;
  target: DeployTarget;
  replicas: number;
  state: DeploymentState;
  replicaStatus: ReplicaStatus[];
  updatedAt: string;
  /** The per-replica limits in force; absent where the target sets none (process). */
  limits?: ReplicaLimits;

  /** The process target's isolation of model code (absent on image targets). */
  sandbox?: DeploymentSandbox;
};
