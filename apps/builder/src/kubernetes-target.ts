import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';

import { ConfigError, stringVar, type ConfigIssue } from '@ml-run/config';
import type { Deployer } from '@ml-run/deployer';
import type { RegistryAccess } from '@ml-run/docker';
import { createKubernetesDeployer, type KubernetesDeployerOptions } from '@ml-run/kubernetes';
import { expandHome } from '@ml-run/user-directory';

// Where a pod's service account is mounted: its token means in-cluster config works.
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
// build-apps.mjs copies deploy/openshift/ml-run-model.yaml next to dist/apps/builder/main.js
// (and into the builder's image bundle), so a checkout and an image find it the same way.
const BUNDLED_TEMPLATE = 'ml-run-model.yaml';

/** The openshift target's variables: which cluster, which namespace, which template. */
export const kubernetesConfigShape = {
  /** A kubeconfig file (`~` expanded); unset: the service account of the pod the builder runs in. */
  MLRUN_KUBECONFIG: stringVar().transform(expandHome).optional(),
  /** Where model Deployments run; default in a pod: the pod's own namespace. */
  MLRUN_KUBERNETES_NAMESPACE: stringVar({
    pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    hint: 'must be a namespace name: lower-case letters, digits and dashes (at most 63)',
  }).optional(),
  /** The ml-run-model template; default: the copy bundled next to this app. */
  MLRUN_KUBERNETES_TEMPLATE: stringVar().optional(),
};

type KubernetesSettings = {
  MLRUN_KUBECONFIG?: string;
  MLRUN_KUBERNETES_NAMESPACE?: string;
  MLRUN_KUBERNETES_TEMPLATE?: string;
  MLRUN_DOCKER_HOST?: string;
  /** The installation: its label keeps this builder's Deployments apart from others'. */
  MLRUN_REGISTRY_NAMESPACE: string;
};

/** What kubernetesDeployerOf reads besides the settings (a test points them elsewhere). */
export type KubernetesHost = {
  serviceAccountDir?: string;
  appDir?: string;
  create?: (options: KubernetesDeployerOptions) => Promise<Deployer>;
};

/**
 * The openshift target's deployer. Every setting is checked before anything connects:
 * a missing kubeconfig, namespace, template or image engine fails start naming the
 * variable. Pods pull model images with the registry's pull credential (a pull secret).
 */
export async function kubernetesDeployerOf(
  config: KubernetesSettings,
  registry: RegistryAccess | undefined,
  host: KubernetesHost = {},
): Promise<Deployer> {
  const serviceAccountDir = host.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const issues: ConfigIssue[] = [];
  const kubeconfigPath = kubeconfigOf(config, serviceAccountDir, issues);
  const namespace = namespaceOf(config, kubeconfigPath, serviceAccountDir, issues);
  const templatePath = templateOf(config, host.appDir ?? __dirname, issues);
  if (config.MLRUN_DOCKER_HOST === undefined) {
    issues.push({
      variable: 'MLRUN_DOCKER_HOST',
      message:
        'must be set for the openshift target: model images are built with Docker and pushed to MLRUN_REGISTRY, where the cluster pulls them',
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const options: KubernetesDeployerOptions = {
    namespace,
    installation: config.MLRUN_REGISTRY_NAMESPACE,
    templatePath,
    logger: new Logger('KubernetesDeployer'),
  };
  if (kubeconfigPath !== undefined) options.kubeconfigPath = kubeconfigPath;
  // Pods only read images: the pull credential, never the push one.
  if (registry?.pull) options.pullSecret = { server: registry.address, ...registry.pull };
  return (host.create ?? createKubernetesDeployer)(options);
}

function kubeconfigOf(
  config: KubernetesSettings,
  serviceAccountDir: string,
  issues: ConfigIssue[],
): string | undefined {
  const file = config.MLRUN_KUBECONFIG;
  if (file !== undefined) {
    if (!readable(file)) {
      issues.push({
        variable: 'MLRUN_KUBECONFIG',
        message: `must name a readable kubeconfig file (${file})`,
      });
    }
    return file;
  }
  if (!readable(path.join(serviceAccountDir, 'token'))) {
    issues.push({
      variable: 'MLRUN_KUBECONFIG',
      message: `must name a kubeconfig file for the openshift target: outside a pod there is no service account (${serviceAccountDir})`,
    });
  }
  return undefined;
}

function namespaceOf(
  config: KubernetesSettings,
  kubeconfigPath: string | undefined,
  serviceAccountDir: string,
  issues: ConfigIssue[],
): string {
  if (config.MLRUN_KUBERNETES_NAMESPACE !== undefined) return config.MLRUN_KUBERNETES_NAMESPACE;
  if (kubeconfigPath === undefined) {
    try {
      return readFileSync(path.join(serviceAccountDir, 'namespace'), 'utf8').trim();
    } catch {
      // outside a pod: the issue below
    }
  }
  issues.push({
    variable: 'MLRUN_KUBERNETES_NAMESPACE',
    message: 'must name the namespace model Deployments run in (the openshift target)',
  });
  return '';
}

function templateOf(config: KubernetesSettings, appDir: string, issues: ConfigIssue[]): string {
  const file = config.MLRUN_KUBERNETES_TEMPLATE ?? path.join(appDir, BUNDLED_TEMPLATE);
  if (!readable(file)) {
    const which = config.MLRUN_KUBERNETES_TEMPLATE === undefined ? `(default ${file})` : '';
    issues.push({
      variable: 'MLRUN_KUBERNETES_TEMPLATE',
      message:
        `must name a readable ml-run-model template, deploy/openshift/ml-run-model.yaml ${which}`.trim(),
    });
  }
  return file;
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
