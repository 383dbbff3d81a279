import { setTimeout as sleep } from 'node:timers/promises';

// Waits for a version's Deployment to settle (every wanted replica ready, no old pod
// left), reading the watched state; fails fast on what will not fix itself.
import { httpReadinessProbe, type ReadinessProbe } from '@ml-run/deployer';

import { failureNow, lastingPullFailures, readinessTimeout } from './deploy-failures';
import type { KubernetesDeployment } from './kubernetes-deployment';
import type { ModelCluster } from './model-cluster';
import { livePods, replicaStatuses } from './replica-status';

export type WaitSettings = {
  wrapperPort: number;
  waitIntervalMs: number;
  probe?: ReadinessProbe;
  probeTimeoutMs?: number;
  /** How long an undeploy waits for its pods to exit (default 120000). */
  goneTimeoutMs?: number;
  /**
   * How long a pod's image pull may keep failing before the deploy fails (default 15000:
   * past the kubelet's first retry, 10 s after the first failure).
   */
  pullGraceMs?: number;
  /** The same when the registry refused the credentials (default 45000: PullGrace). */
  refusedPullGraceMs?: number;
};

export class RolloutWatch {
  // Per pod: the model's init error, once its /readyz said INIT_FAILED.
  private readonly initErrors = new Map<string, string>();

  constructor(
    private readonly cluster: ModelCluster,
    private readonly settings: WaitSettings,
    private readonly publish: (deployment: KubernetesDeployment) => void,
  ) {}

  /** The record from the watched pods and endpoints; published when it changed. */
  refresh(deployment: KubernetesDeployment): void {
    if (deployment.phase === 'removed') return;
    const view = {
      pods: this.cluster.podsOf(deployment.instance),
      slices: this.cluster.slicesOf(deployment.instance),
      initErrors: this.initErrors,
    };
    deployment.replicaStatus = replicaStatuses(view, this.settings.wrapperPort);
    this.publish(deployment);
  }

  /** Resolves once the Deployment at `generation` has exactly its replicas, all ready. */
  async wait(
    deployment: KubernetesDeployment,
    generation: number,
    timeoutMs: number,
  ): Promise<void> {
    const since = Date.now();
    const deadline = since + timeoutMs;
    // Per pod: when its image pull was first seen failing (until it stops failing).
    const pullFailingSince = new Map<string, number>();
    const grace = {
      graceMs: this.settings.pullGraceMs ?? 15_000,
      refusedGraceMs: this.settings.refusedPullGraceMs ?? 45_000,
    };
    for (;;) {
      await this.probeStarted(deployment);
      this.refresh(deployment);
      if (deployment.phase === 'removed')
        throw new Error('undeployed while its replicas were starting');
      if (this.settled(deployment, generation)) return;
      const state = {
        deployment: this.cluster.deployment(deployment.instance),
        pods: this.cluster.podsOf(deployment.instance),
      };
      const of = { name: deployment.name, version: deployment.version, since };
      const pullFailed = lastingPullFailures(state.pods, pullFailingSince, grace);
      const known = { initErrors: this.initErrors, pullFailed };
      const failure = failureNow(state, known, deployment.image, of);
      if (failure) throw failure;
      if (Date.now() >= deadline) throw readinessTimeout(state.pods, timeoutMs, deployment);
      await sleep(this.settings.waitIntervalMs);
    }
  }

  /** Resolves once no pod of the version is left, terminating ones included. */
  async untilGone(instance: string): Promise<void> {
    const deadline = Date.now() + (this.settings.goneTimeoutMs ?? 120_000);
    while (this.cluster.podsOf(instance).length > 0) {
      if (Date.now() >= deadline)
        throw new Error(`the pods of ${instance} were still there after the undeploy's wait`);
      await sleep(this.settings.waitIntervalMs);
    }
  }

  private settled(deployment: KubernetesDeployment, generation: number): boolean {
    const status = this.cluster.deployment(deployment.instance)?.status;
    const wanted = deployment.replicas;
    const ready = deployment.replicaStatus.filter((replica) => replica.state === 'ready');
    return (
      (status?.observedGeneration ?? 0) >= generation &&
      status?.replicas === wanted &&
      status.updatedReplicas === wanted &&
      status.readyReplicas === wanted &&
      deployment.replicaStatus.length === wanted &&
      ready.length === wanted
    );
  }

  // A started pod that is not ready may have failed its init: its /readyz says so, in the
  // model's words (the pod itself only turns unready, forever).
  private async probeStarted(deployment: KubernetesDeployment): Promise<void> {
    const probe = this.settings.probe ?? httpReadinessProbe;
    const started = deployment.replicaStatus.filter(
      (replica) => replica.state === 'starting' && replica.url !== '',
    );
    const pods = new Set(
      livePods(this.cluster.podsOf(deployment.instance)).map((pod) => pod.metadata?.name),
    );
    await Promise.all(
      started
        .filter((replica) => pods.has(replica.id))
        .map(async (replica) => {
          const result = await probe(replica.url, this.settings.probeTimeoutMs ?? 1_000);
          if (result.kind === 'not-ready' && result.initError !== undefined)
            this.initErrors.set(replica.id, result.initError);
        }),
    );
  }
}
