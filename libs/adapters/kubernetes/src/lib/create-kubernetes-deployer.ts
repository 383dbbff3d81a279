import { KubeConfig } from '@kubernetes/client-node';
import { Logger } from '@nestjs/common';

import { httpReadinessProbe, type Deployer } from '@ml-run/deployer';

import { apiMessage } from './api-errors';
import { KubernetesDeployer } from './kubernetes-deployer';
import type { KubernetesDeployerOptions } from './kubernetes-deployer-options';
import { ModelCluster } from './model-cluster';
import { DEFAULT_WRAPPER_PORT } from './model-parameters';
import { modelRenderer } from './render-model';

// A label value: the installation is on every object and selects them.
const LABEL_VALUE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function kubeConfigOf(kubeconfigPath: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (kubeconfigPath) kubeConfig.loadFromFile(kubeconfigPath);
  else kubeConfig.loadFromCluster();
  return kubeConfig;
}

/**
 * The `openshift` target: one Deployment and Service per model version, rendered from the
 * `ml-run-model` template and applied with server-side apply. Loads the kubeconfig, reads
 * the template, writes the pull secret, starts watching, and adopts this installation's
 * Deployments already in the namespace (an earlier builder's) before it resolves.
 *
 * What its identity needs in the namespace: deployments (get, list, watch, create, patch,
 * delete), services and secrets (get, create, patch, delete), pods and
 * discovery.k8s.io endpointslices (list, watch).
 */
export async function createKubernetesDeployer(
  options: KubernetesDeployerOptions,
): Promise<Deployer> {
  const { installation, namespace } = options;
  if (!LABEL_VALUE.test(installation))
    throw new RangeError(
      `installation "${installation}" must be lower-case letters, digits and dashes, at most 63, starting and ending with a letter or digit`,
    );
  const render = await modelRenderer(options.templatePath);
  const logger = options.logger ?? new Logger(KubernetesDeployer.name);
  const cluster = new ModelCluster(
    kubeConfigOf(options.kubeconfigPath),
    namespace,
    installation,
    // Informers call back only after start(), below: `deployer` is set by then.
    () => deployer.refreshAll(),
    (error) =>
      logger.warn({ err: error, namespace }, 'watch of model deployments broke; restarting'),
  );
  const pullSecretName = `mlrun-${installation}-pull`;
  if (options.pullSecret) await cluster.applyPullSecret(pullSecretName, options.pullSecret);
  const deployer = new KubernetesDeployer(cluster, render, {
    installation,
    wrapperPort: options.wrapperPort ?? DEFAULT_WRAPPER_PORT,
    ...(options.pullSecret ? { pullSecretName } : {}),
    waitIntervalMs: options.waitIntervalMs ?? 250,
    adoptedReadyTimeoutMs: options.adoptedReadyTimeoutMs ?? 120_000,
    probe: options.probe ?? httpReadinessProbe,
    probeTimeoutMs: options.probeTimeoutMs ?? 1_000,
    logger,
  });
  await startWatching(cluster, deployer);
  return deployer;
}

// Adopted records read the watch's caches: it lists first.
async function startWatching(cluster: ModelCluster, deployer: KubernetesDeployer): Promise<void> {
  try {
    await cluster.start();
    await deployer.adopt();
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    throw new Error(
      `cannot watch model deployments in namespace ${cluster.namespace} (${apiMessage(error)}): the builder needs list and watch on deployments, pods and endpointslices there`,
    );
  }
}
