import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AppsV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';

export type { KubernetesObject };

const FIELD_MANAGER = 'ml-run-e2e';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** A claim a StatefulSet or a template will make, which a hostPath volume is made for. */
export type VolumeFor = { namespace: string; claim: string; size: string };

/**
 * An installation of rendered templates on a live cluster, as an operator would make it
 * with `oc process | oc apply`: namespaces with PodSecurity labels, server-side apply of
 * every object, waits for rollouts, and clean-up of everything it created (namespaces and
 * cluster-scoped volumes). The bare local cluster has no volume provisioner, so the
 * PersistentVolumes come from here: hostPath directories, each bound to the one claim it is
 * made for.
 */
export class ClusterInstall {
  private readonly objects: KubernetesObjectApi;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly discovery: DiscoveryV1Api;
  private readonly namespaces: string[] = [];
  private readonly volumes: string[] = [];

  constructor(
    kubeconfigPath: string,
    /** Unique per run: names the cluster-scoped objects this install makes. */
    private readonly run: string,
  ) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    this.objects = KubernetesObjectApi.makeApiClient(kc);
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.discovery = kc.makeApiClient(DiscoveryV1Api);
  }

  /** Creates a namespace that enforces `level` (and is deleted by cleanUp). */
  async namespace(name: string, level: PodSecurityLevel): Promise<void> {
    this.namespaces.push(name);
    await this.apply([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name,
          labels: {
            'ml-run.io/test': 'openshift-install',
            'pod-security.kubernetes.io/enforce': level,
            'pod-security.kubernetes.io/enforce-version': 'latest',
          },
        },
      },
    ]);
  }

  /** Server-side apply of each object, in order; objects without a namespace go to `namespace`. */
  async apply(objects: readonly KubernetesObject[], namespace?: string): Promise<void> {
    for (const object of objects) {
      const placed =
        namespace && !object.metadata?.namespace && object.kind !== 'Namespace'
          ? { ...object, metadata: { ...object.metadata, namespace } }
          : object;
      try {
        await this.objects.patch(
          placed,
          undefined,
          undefined,
          FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        );
      } catch (error) {
        throw new Error(
          `apply ${placed.kind} ${placed.metadata?.namespace ?? ''}/${placed.metadata?.name}: ${describe(error)}`,
        );
      }
    }
  }

  /**
   * A hostPath PersistentVolume per claim, under `dir`, pre-bound to that claim (so two
   * installs never swap volumes), writable by any uid: the pods run as an arbitrary one.
   */
  async hostPathVolumes(dir: string, claims: readonly VolumeFor[]): Promise<void> {
    for (const { namespace, claim, size } of claims) {
      const name = `${this.run}-${namespace}-${claim}`.slice(0, 253);
      const hostPath = path.join(dir, `${namespace}-${claim}`);
      await mkdir(hostPath, { recursive: true });
      await chmod(hostPath, 0o777);
      this.volumes.push(name);
      await this.apply([
        {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name, labels: { 'ml-run.io/test': 'openshift-install' } },
          spec: {
            capacity: { storage: size },
            accessModes: ['ReadWriteOnce'],
            persistentVolumeReclaimPolicy: 'Retain',
            storageClassName: '',
            claimRef: { namespace, name: claim },
            hostPath: { path: hostPath, type: 'Directory' },
          },
        } as KubernetesObject,
      ]);
    }
  }

  /**
   * Waits until every StatefulSet and Deployment (or only those of one kind) in the
   * namespace has all its replicas ready, and at least one exists; on timeout, says which
   * are not and why their pods wait.
   */
  async waitForRollouts(
    namespace: string,
    timeoutMs: number,
    only?: 'StatefulSet' | 'Deployment',
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let pending: string[] = [];
    while (Date.now() < deadline) {
      // A restarting apiserver (another test's, or the cluster's own) is waited out too.
      const listed = await Promise.all([
        only === 'Deployment' ? { items: [] } : this.apps.listNamespacedStatefulSet({ namespace }),
        only === 'StatefulSet' ? { items: [] } : this.apps.listNamespacedDeployment({ namespace }),
      ]).catch((error: unknown) => {
        pending = [`(apiserver: ${describe(error)})`];
        return undefined;
      });
      if (!listed) {
        await sleep(2000);
        continue;
      }
      const [{ items: sets }, { items: deployments }] = listed;
      pending = [
        ...sets.filter((s) => (s.status?.readyReplicas ?? 0) < (s.spec?.replicas ?? 1)),
        ...deployments.filter((d) => (d.status?.readyReplicas ?? 0) < (d.spec?.replicas ?? 1)),
      ].map((w) => w.metadata?.name ?? '?');
      if (sets.length + deployments.length > 0 && pending.length === 0) return;
      await sleep(1000);
    }
    throw new Error(
      `${namespace}: not ready after ${timeoutMs} ms: ${pending.join(', ')}\n${await this.podReport(namespace)}`,
    );
  }

  /** Each pod's phase, waiting reasons and last termination: why a rollout is stuck. */
  async podReport(namespace: string): Promise<string> {
    const pods = (await this.core.listNamespacedPod({ namespace })).items;
    return pods
      .map((pod) => {
        const states = (pod.status?.containerStatuses ?? []).map((c) => {
          const waiting = c.state?.waiting;
          const last = c.lastState?.terminated;
          return `${c.name} ready=${c.ready} restarts=${c.restartCount}${waiting ? ` waiting=${waiting.reason}: ${waiting.message ?? ''}` : ''}${last ? ` lastExit=${last.exitCode} ${last.reason ?? ''}` : ''}`;
        });
        const unscheduled = (pod.status?.conditions ?? [])
          .filter((c) => c.status !== 'True' && c.message)
          .map((c) => `${c.type}: ${c.message}`);
        return `  ${pod.metadata?.name} ${pod.status?.phase} ${[...states, ...unscheduled].join('; ')}`;
      })
      .join('\n');
  }

  /** The last lines a pod's container wrote, for failure messages. */
  async logs(namespace: string, pod: string, tailLines = 40): Promise<string> {
    try {
      return await this.core.readNamespacedPodLog({ namespace, name: pod, tailLines });
    } catch (error) {
      return `(no logs of ${namespace}/${pod}: ${describe(error)})`;
    }
  }

  /**
   * http://<pod IP>:<port> of a ready endpoint of the Service: the host reaches pod
   * addresses directly, which needs neither kube-proxy nor DNS on the host.
   */
  async serviceUrl(namespace: string, service: string, portName: string): Promise<string> {
    const slices = await this.discovery.listNamespacedEndpointSlice({
      namespace,
      labelSelector: `kubernetes.io/service-name=${service}`,
    });
    for (const slice of slices.items) {
      const port = slice.ports?.find((p) => p.name === portName)?.port;
      const endpoint = slice.endpoints.find((e) => e.conditions?.ready && e.addresses.length > 0);
      if (port && endpoint) return `http://${endpoint.addresses[0]}:${port}`;
    }
    throw new Error(`Service ${namespace}/${service} has no ready endpoint on port ${portName}`);
  }

  /** Deletes the namespaces (and so everything in them) and the volumes, and waits for both. */
  async cleanUp(timeoutMs = 180_000): Promise<void> {
    const gone = (call: Promise<unknown>) =>
      call.then(
        () => undefined,
        (error: unknown) => {
          if (statusOf(error) !== 404) throw error;
        },
      );
    await Promise.all(this.namespaces.map((name) => gone(this.core.deleteNamespace({ name }))));
    const deadline = Date.now() + timeoutMs;
    for (const name of this.namespaces) {
      while (Date.now() < deadline) {
        const exists = await this.core.readNamespace({ name }).then(
          () => true,
          (error: unknown) => statusOf(error) !== 404,
        );
        if (!exists) break;
        await sleep(1000);
      }
    }
    await Promise.all(this.volumes.map((name) => gone(this.core.deletePersistentVolume({ name }))));
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

function describe(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  return error instanceof Error ? error.message : String(error);
}
