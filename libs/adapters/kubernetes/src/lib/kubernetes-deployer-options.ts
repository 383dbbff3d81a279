// How a Kubernetes (OpenShift) deployer is set up: MLRUN_KUBECONFIG, the namespace, the
// installation and the registry's pull credential.
import type { LoggerService } from '@nestjs/common';

import type { ReadinessProbe } from '@ml-run/deployer';

/** The registry credential pods pull model images with (a dockerconfigjson Secret). */
export type PullSecretCredential = { server: string; username: string; password: string };

export type KubernetesDeployerOptions = {
  /** A kubeconfig file (MLRUN_KUBECONFIG); absent: the pod's in-cluster service account. */
  kubeconfigPath?: string;
  /** Where model Deployments run; the deployer creates nothing outside it. */
  namespace: string;
  /**
   * The installation (MLRUN_REGISTRY_NAMESPACE): label `ml-run.io/installation` on every
   * object, so adoption takes over only this installation's Deployments.
   */
  installation: string;
  /** The `ml-run-model` OpenShift Template (deploy/openshift/ml-run-model.yaml). */
  templatePath: string;
  /** Unset: pods pull as the namespace's default service account does. */
  pullSecret?: PullSecretCredential;
  /** The port the wrapper listens on in its pod (default 9000). */
  wrapperPort?: number;
  logger?: LoggerService;
  /** Poll of the watched state while a deploy, scale or undeploy waits (default 250). */
  waitIntervalMs?: number;
  /** For Deployments found in the namespace, deployed by an earlier run (default 120000). */
  adoptedReadyTimeoutMs?: number;
  /** Asks a started, not-ready pod's /readyz why (INIT_FAILED in the model's words). */
  probe?: ReadinessProbe;
  probeTimeoutMs?: number;
};
