import type { Deployer } from '@ml-run/deployer';

import type { KubernetesDeployerOptions } from './kubernetes-deployer-options';

/**
 * The `openshift` target: one Deployment and Service per model version, rendered from the
 * `ml-run-model` template and applied with server-side apply. Loads the kubeconfig, reads
 * the template, writes the pull secret, starts watching, and adopts this installation's
 * Deployments already in the namespace (an earlier builder's) before it resolves.
 */
export async function createKubernetesDeployer(
  options: KubernetesDeployerOptions,
): Promise<Deployer> {
  throw new Error(`not implemented yet (${options.namespace})`);
}
