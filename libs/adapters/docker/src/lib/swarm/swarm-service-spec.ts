import { createHash } from 'node:crypto';
import type Docker from 'dockerode';

import type { DeploymentSpec } from '@ml-run/deployer';

/** Labels that mark a Swarm service as one model version deployed by ML-RUN. */
export const SWARM_LABELS = {
  name: 'run.ml.name',
  version: 'run.ml.version',
  managed: 'run.ml.managed',
  /** The installation (MLRUN_REGISTRY_NAMESPACE) that deployed the service. */
  namespace: 'run.ml.namespace',
} as const;

export const PORT_BASE_ENV = 'MLRUN_PORT_BASE';
const SLOT_ENV = 'MLRUN_REPLICA_SLOT';
const REPLICA_HOST = '127.0.0.1';
const WRAPPER_MAIN = '/opt/ml-run/wrapper/main.js';
const NANOS_PER_MS = 1_000_000;

/** The wrapper's uid in a replica: the base image's user `mlrun` (the image USER). */
const WRAPPER_UID = 10001;
/** The model code's uid (python workers): not the wrapper's, so it cannot read its /proc. */
const MODEL_UID = 10002;
const MODEL_UID_ENV = 'MLRUN_MODEL_UID';
/** Scratch space on a read-only root: /tmp, in memory (counted in the memory limit). */
const TMP_BYTES = 64 * 1024 * 1024;
/** Capabilities PID 1 starts with; every other one is dropped. */
const KEPT_CAPABILITIES = ['CAP_SETUID', 'CAP_SETGID'];

// The port of a replica: each slot of a host-networked service listens on its own port.
const PORT_EXPR = `$((${PORT_BASE_ENV} + ${SLOT_ENV}))`;
const START_COMMAND = `export MLRUN_PORT=${PORT_EXPR}; exec node ${WRAPPER_MAIN}`;
const AS_WRAPPER = [`--reuid=${WRAPPER_UID}`, `--regid=${WRAPPER_UID}`, '--clear-groups'];
// PID 1 starts as root with CAP_SETUID and CAP_SETGID only (no_new_privs comes from the
// daemon, see tools/services/docker/up.sh) and setpriv drops it to the wrapper's uid at
// once, keeping those two as ambient capabilities: the wrapper needs them only to start
// python workers as MODEL_UID (setpriv again, which clears them for the model's code).
const LAUNCHER = [
  'setpriv',
  ...AS_WRAPPER,
  '--inh-caps=-all,+setuid,+setgid',
  '--ambient-caps=-all,+setuid,+setgid',
  '--',
];
// Docker runs the probe as the container's user (root): it drops to the wrapper's uid
// with no capabilities first.
const HEALTH_PROBE =
  `exec setpriv ${AS_WRAPPER.join(' ')} --inh-caps=-all -- ` +
  `node -e "fetch('http://${REPLICA_HOST}:${PORT_EXPR}/readyz')` +
  '.then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"';

/**
 * `mlrun-<name>-<12 hex of sha256(namespace/version)>`: versions may hold characters
 * names may not, and two installations on one Swarm may deploy the same version.
 */
export function serviceNameOf(namespace: string, name: string, version: string): string {
  const hash = createHash('sha256').update(`${namespace}/${version}`).digest('hex').slice(0, 12);
  return `mlrun-${name}-${hash}`;
}

export function replicaUrl(base: number, slot: number): string {
  return `http://${REPLICA_HOST}:${base + slot}`;
}

/** The port base a managed service was created with, from its env. */
export function portBaseOf(spec: Docker.ServiceSpec | undefined): number | undefined {
  const template = spec?.TaskTemplate as Docker.ContainerTaskSpec | undefined;
  const entry = template?.ContainerSpec?.Env?.find((each) => each.startsWith(`${PORT_BASE_ENV}=`));
  const base = Number(entry?.slice(PORT_BASE_ENV.length + 1));
  return entry !== undefined && Number.isInteger(base) ? base : undefined;
}

/**
 * The sandbox every replica runs in: a read-only root with a small /tmp, every capability
 * dropped but the two the launcher needs, root only for the launcher's first instant.
 */
function sandboxed(container: Docker.ContainerSpec): Docker.ContainerSpec {
  return {
    ...container,
    User: '0:0',
    ReadOnly: true,
    CapabilityDrop: ['ALL'],
    CapabilityAdd: KEPT_CAPABILITIES,
    Mounts: [
      {
        Type: 'tmpfs',
        Source: '',
        Target: '/tmp',
        TmpfsOptions: { SizeBytes: TMP_BYTES, Mode: 0o1777 },
      },
    ],
  };
}

/**
 * The full service spec of one model version. A new model version is a new service (its
 * own port block), never an update of this one: with host networking, a start-first
 * update starts the new task of a slot while the old one still holds the slot's port.
 * UpdateConfig therefore only matters for config updates of the same version.
 */
export function serviceSpecOf(
  spec: DeploymentSpec & { image: string },
  base: number,
  namespace: string,
  limits: Docker.ResourceLimits = {},
): Docker.ServiceSpec {
  // The deployer's own settings come last: the spec may not move a replica's port or the
  // model's uid.
  const env = {
    ...spec.env,
    MLRUN_HOST: REPLICA_HOST,
    [PORT_BASE_ENV]: String(base),
    [SLOT_ENV]: '{{.Task.Slot}}',
    [MODEL_UID_ENV]: String(MODEL_UID),
  };
  const task: Docker.ContainerTaskSpec = {
    ContainerSpec: sandboxed({
      Image: spec.image,
      Command: [...LAUNCHER, 'sh', '-c', START_COMMAND],
      Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
      HealthCheck: {
        Test: ['CMD-SHELL', HEALTH_PROBE],
        Interval: 10_000 * NANOS_PER_MS,
        Timeout: 5_000 * NANOS_PER_MS,
        StartPeriod: spec.readyTimeoutMs * NANOS_PER_MS,
        Retries: 3,
      },
      StopGracePeriod: 10_000 * NANOS_PER_MS,
    }),
    Resources: { Limits: limits },
    RestartPolicy: { Condition: 'any', Delay: 1_000 * NANOS_PER_MS, MaxAttempts: 0 },
    Networks: [{ Target: 'host' }],
  };
  return {
    Name: serviceNameOf(namespace, spec.name, spec.version),
    Labels: labelsOf(spec, namespace),
    TaskTemplate: task,
    Mode: { Replicated: { Replicas: spec.replicas } },
    UpdateConfig: { Parallelism: 1, Order: 'start-first', FailureAction: 'rollback' },
  };
}

function labelsOf(spec: DeploymentSpec, namespace: string): Record<string, string> {
  return {
    [SWARM_LABELS.name]: spec.name,
    [SWARM_LABELS.version]: spec.version,
    [SWARM_LABELS.managed]: 'true',
    [SWARM_LABELS.namespace]: namespace,
  };
}
