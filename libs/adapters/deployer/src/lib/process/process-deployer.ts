import type { BackoffOptions } from '@ml-run/async';
import { KeyedMutex } from '@ml-run/keyed-mutex';
import type { DeploymentRecord, DeploymentSandbox } from '@ml-run/registry-contract';

import { ChangeListeners } from '../change-listeners';
import { DeployError, DeployErrorCode } from '../deploy.errors';
import type { Deployer, DeploymentListener, DeploymentSpec } from '../deployer.port';
import { checkReplicas, checkSpec, deploymentKey } from '../deployment-state';
import { freePort } from './free-port';
import { ProcessDeployment } from './process-deployment';
import { httpReadinessProbe, type ReadinessProbe } from './readiness-probe';
import { Replica } from './replica';
import {
  ReplicaProcess,
  spawnReplica,
  type OutputStream,
  type SpawnReplica,
} from './replica-process';

// Replicas start slower than python workers: a slightly longer first delay.
const DEFAULT_RESTART_BACKOFF: BackoffOptions = {
  initialMs: 200,
  maxMs: 10_000,
  resetAfterMs: 60_000,
};

/** A line a replica wrote, for the optional `onOutput` forwarder. */
export type ReplicaOutputLine = {
  name: string;
  version: string;
  replica: string;
  stream: OutputStream;
  line: string;
};

export type ProcessDeployerOptions = {
  /** The built model-wrapper, dist/apps/model-wrapper/main.js. */
  wrapperMain: string;
  /** The replicas' environment before their MLRUN_ settings (modelProcessEnv(): no secrets). */
  baseEnv: Record<string, string>;
  /** Where replicas listen and the router reaches them; default 127.0.0.1. */
  host?: string;
  restartBackoff?: BackoffOptions;
  /** /readyz interval while a replica is ready (default 1000); 100 ms until then. */
  healthIntervalMs?: number;
  startingIntervalMs?: number;
  probeTimeoutMs?: number;
  /** SIGTERM to SIGKILL (default 5000). */
  stopGraceMs?: number;
  onOutput?: (line: ReplicaOutputLine) => void;
  /**
   * How this host isolates python model code (from @ml-run/sandbox), shown on every record;
   * with `refusal`, deploys are refused (cluster mode without a sandbox fails closed).
   */
  sandbox?: ProcessSandbox;
  /** Seams for tests: how processes start, ports are found and readiness is asked. */
  spawn?: SpawnReplica;
  freePort?: (host: string) => Promise<number>;
  probe?: ReadinessProbe;
};

export type ProcessSandbox = { summary: DeploymentSandbox; refusal?: string };

const NODE_IN_PROCESS: DeploymentSandbox = {
  level: 'off',
  warnings: ['node models run inside the wrapper process: not sandboxed'],
};

/**
 * The embedded `process` target: every replica is `node <wrapperMain>` on a free port of
 * this host, supervised from this process. Replicas outlive nothing: close() ends them.
 */
export class ProcessDeployer implements Deployer {
  readonly target = 'process' as const;
  private readonly deployments = new Map<string, ProcessDeployment>();
  private readonly queue = new KeyedMutex();
  private readonly listeners = new ChangeListeners();
  private readonly runtimes = new Map<string, DeploymentSpec['runtime']>();
  private closed = false;

  constructor(private readonly options: ProcessDeployerOptions) {}

  async deploy(spec: DeploymentSpec): Promise<DeploymentRecord> {
    checkSpec(spec);
    const refusal = this.options.sandbox?.refusal;
    if (refusal) throw new DeployError(DeployErrorCode.SandboxUnavailable, refusal);
    const key = deploymentKey(spec.name, spec.version);
    return this.serialize(key, async () => {
      const existing = this.deployments.get(key);
      if (existing) return this.withSandbox(await existing.scaleTo(spec.replicas));
      const own = { ...spec, env: { ...spec.env } };
      this.runtimes.set(key, spec.runtime);
      const deployment = new ProcessDeployment(
        own,
        (id, onChange) => this.createReplica(own, id, onChange),
        (record) => this.listeners.emit(this.withSandbox(record)),
      );
      this.deployments.set(key, deployment);
      return deployment.start().then(
        (record) => this.withSandbox(record),
        (error: unknown) => {
          if (this.deployments.get(key) === deployment) this.deployments.delete(key);
          throw error;
        },
      );
    });
  }

  async scale(name: string, version: string, replicas: number): Promise<DeploymentRecord> {
    checkReplicas(replicas);
    return this.serialize(deploymentKey(name, version), async () => {
      const deployment = this.deployments.get(deploymentKey(name, version));
      if (!deployment)
        throw new DeployError(
          DeployErrorCode.DeploymentNotFound,
          `${name} ${version} is not deployed`,
        );
      return this.withSandbox(await deployment.scaleTo(replicas));
    });
  }

  // Not queued behind a pending deploy or scale: undeploying is how a hanging one is ended.
  async undeploy(name: string, version: string): Promise<void> {
    const key = deploymentKey(name, version);
    const deployment = this.deployments.get(key);
    if (!deployment) return;
    this.deployments.delete(key);
    this.runtimes.delete(key);
    await deployment.remove();
  }

  list(): DeploymentRecord[] {
    return [...this.deployments.values()].map((deployment) =>
      this.withSandbox(deployment.record()),
    );
  }

  get(name: string, version: string): DeploymentRecord | undefined {
    const record = this.deployments.get(deploymentKey(name, version))?.record();
    return record && this.withSandbox(record);
  }

  onChange(listener: DeploymentListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    const deployments = [...this.deployments.values()];
    this.deployments.clear();
    await Promise.all(deployments.map((deployment) => deployment.remove()));
  }

  /** Process ids of a version's replicas (diagnostics and tests). */
  pids(name: string, version: string): number[] {
    return this.deployments.get(deploymentKey(name, version))?.pids() ?? [];
  }

  // What isolates this version's model code: the host's sandbox for python, none for node.
  private withSandbox(record: DeploymentRecord): DeploymentRecord {
    const summary = this.options.sandbox?.summary;
    if (!summary) return record;
    const runtime = this.runtimes.get(deploymentKey(record.name, record.version));
    return { ...record, sandbox: runtime === 'node' ? NODE_IN_PROCESS : summary };
  }

  // One change at a time per version, so a scale never races the deploy it follows.
  private serialize<T>(key: string, operation: () => Promise<T>): Promise<T> {
    return this.queue.run(key, () => {
      if (this.closed)
        throw new DeployError(DeployErrorCode.DeployerClosed, 'the deployer is shutting down');
      return operation();
    });
  }

  private createReplica(spec: DeploymentSpec, id: string, onChange: () => void): Replica {
    const { options } = this;
    const host = options.host ?? '127.0.0.1';
    return new Replica({
      id,
      host,
      onChange,
      launch: (port) => this.launch(spec, id, host, port),
      freePort: options.freePort ?? freePort,
      probe: options.probe ?? httpReadinessProbe,
      backoff: options.restartBackoff ?? DEFAULT_RESTART_BACKOFF,
      timing: {
        startingIntervalMs: options.startingIntervalMs ?? 100,
        readyIntervalMs: options.healthIntervalMs ?? 1_000,
        probeTimeoutMs: options.probeTimeoutMs ?? 1_000,
        readyTimeoutMs: spec.readyTimeoutMs,
        stopGraceMs: options.stopGraceMs ?? 5_000,
      },
    });
  }

  private launch(spec: DeploymentSpec, id: string, host: string, port: number): ReplicaProcess {
    // The deployer's own settings come last: the spec may not move a replica's port or bundle.
    const env = {
      ...this.options.baseEnv,
      ...spec.env,
      MLRUN_HOST: host,
      MLRUN_PORT: String(port),
      MLRUN_MODEL_DIR: spec.modelDir,
      MLRUN_MODEL_NAME: spec.name,
    };
    const spawn = this.options.spawn ?? spawnReplica;
    const child = spawn(process.execPath, [this.options.wrapperMain], env);
    const { onOutput } = this.options;
    return new ReplicaProcess(child, (stream, line) =>
      onOutput?.({ name: spec.name, version: spec.version, replica: id, stream, line }),
    );
  }
}
