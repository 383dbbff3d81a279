// The namespace as the deployer sees it: server-side apply of rendered objects, and a
// watched view (informers) of this installation's Deployments, pods and EndpointSlices.
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  type ListPromise,
  type ObjectCache,
  type V1Deployment,
  type V1EndpointSlice,
  type V1Pod,
} from '@kubernetes/client-node';

import { installationSelector, MODEL_LABELS } from './model-names';

/** The field manager of everything the builder applies. */
export const FIELD_MANAGER = 'ml-run-builder';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
// An informer whose watch broke starts again after this long.
const RESTART_DELAY_MS = 2_000;

type Watched<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

export class ModelCluster {
  private readonly objects: KubernetesObjectApi;
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;
  private readonly informers: Watched<KubernetesObject>[] = [];
  private readonly deployments: Watched<V1Deployment>;
  private readonly pods: Watched<V1Pod>;
  private readonly slices: Watched<V1EndpointSlice>;
  private stopped = false;

  constructor(
    kubeConfig: KubeConfig,
    readonly namespace: string,
    private readonly installation: string,
    onChange: () => void,
    onWatchError: (error: unknown) => void,
  ) {
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    const discovery = kubeConfig.makeApiClient(DiscoveryV1Api);
    const labelSelector = installationSelector(installation);
    const base = `/namespaces/${namespace}`;
    const watch = <T extends KubernetesObject>(path: string, list: ListPromise<T>) =>
      this.informer(makeInformer(kubeConfig, path, list, labelSelector), onChange, onWatchError);
    this.deployments = watch(`/apis/apps/v1${base}/deployments`, () =>
      this.apps.listNamespacedDeployment({ namespace, labelSelector }),
    );
    this.pods = watch(`/api/v1${base}/pods`, () =>
      this.core.listNamespacedPod({ namespace, labelSelector }),
    );
    // EndpointSlices carry their Service's labels, the installation's among them.
    this.slices = watch(`/apis/discovery.k8s.io/v1${base}/endpointslices`, () =>
      discovery.listNamespacedEndpointSlice({ namespace, labelSelector }),
    );
  }

  /** Starts watching; resolves once each informer has listed what is there. */
  async start(): Promise<void> {
    await Promise.all(this.informers.map((informer) => informer.start()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.informers.map((informer) => informer.stop()));
  }

  /** Server-side apply, forced (the builder owns these fields); the Deployment's generation. */
  async apply(objects: readonly KubernetesObject[]): Promise<number> {
    let generation = 0;
    for (const object of objects) {
      const spec = { ...object, metadata: { ...object.metadata, namespace: this.namespace } };
      const applied = await this.objects.patch(
        spec,
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
      if (applied.kind === 'Deployment') generation = applied.metadata?.generation ?? 0;
    }
    return generation;
  }

  /** The Deployment's new generation. */
  async setReplicas(instance: string, replicas: number): Promise<number> {
    const patch: KubernetesObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: instance, namespace: this.namespace },
      spec: { replicas },
    } as KubernetesObject;
    const patched = await this.objects.patch(
      patch,
      undefined,
      undefined,
      FIELD_MANAGER,
      undefined,
      PatchStrategy.MergePatch,
    );
    return patched.metadata?.generation ?? 0;
  }

  /** Deletes a version's Deployment (its pods follow), Service and settings Secret. */
  async remove(instance: string): Promise<void> {
    const { namespace } = this;
    const name = instance;
    const gone = (error: unknown) => {
      if (!isNotFound(error)) throw error;
    };
    await this.apps
      .deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Background' })
      .catch(gone);
    await this.core.deleteNamespacedService({ name, namespace }).catch(gone);
    await this.core.deleteNamespacedSecret({ name: `${name}-env`, namespace }).catch(gone);
  }

  /** This installation's Deployments, read from the API (not the watch). */
  async listDeployments(): Promise<V1Deployment[]> {
    const labelSelector = installationSelector(this.installation);
    const list = await this.apps.listNamespacedDeployment({
      namespace: this.namespace,
      labelSelector,
    });
    return list.items;
  }

  deployment(instance: string): V1Deployment | undefined {
    return this.deployments.get(instance, this.namespace);
  }

  /** Every pod of the version, terminating ones included. */
  podsOf(instance: string): V1Pod[] {
    return this.pods
      .list(this.namespace)
      .filter((pod) => pod.metadata?.labels?.[MODEL_LABELS.instance] === instance);
  }

  slicesOf(instance: string): V1EndpointSlice[] {
    return this.slices
      .list(this.namespace)
      .filter((slice) => slice.metadata?.labels?.[SERVICE_NAME_LABEL] === instance);
  }

  /** Creates or updates a `kubernetes.io/dockerconfigjson` Secret for pulls from `server`. */
  async applyPullSecret(
    name: string,
    credential: { server: string; username: string; password: string },
  ): Promise<void> {
    const auth = Buffer.from(`${credential.username}:${credential.password}`).toString('base64');
    const config = {
      auths: {
        [credential.server]: { username: credential.username, password: credential.password, auth },
      },
    };
    await this.apply([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name,
          labels: { [MODEL_LABELS.installation]: this.installation },
        },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
      } as KubernetesObject,
    ]);
  }

  private informer<T extends KubernetesObject>(
    informer: Watched<T>,
    onChange: () => void,
    onWatchError: (error: unknown) => void,
  ): Watched<T> {
    for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, () => onChange());
    // The watch ends on errors and timeouts: it starts again, relisting what it missed.
    informer.on('error', (error: unknown) => {
      if (this.stopped) return;
      onWatchError(error);
      setTimeout(() => {
        if (!this.stopped) void informer.start().catch(onWatchError);
      }, RESTART_DELAY_MS).unref();
    });
    this.informers.push(informer as unknown as Watched<KubernetesObject>);
    return informer;
  }
}
