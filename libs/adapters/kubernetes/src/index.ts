export { createKubernetesDeployer } from './lib/create-kubernetes-deployer';
export type {
  KubernetesDeployerOptions,
  PullSecretCredential,
} from './lib/kubernetes-deployer-options';
