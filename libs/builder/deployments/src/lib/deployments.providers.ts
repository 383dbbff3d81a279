import type { Provider } from '@nestjs/common';

import { DeploymentLauncher } from './deployment/deployment-launcher.service';
import { DeploymentLifecycle } from './deployment/deployment-lifecycle.service';
import { DeploymentSpecs } from './deployment/deployment-specs.service';
import { DeploymentService } from './deployment/deployment.service';
import { ModelPrincipalLifecycle } from './deployment/model-principal-lifecycle.service';
import { ReplicaQuota } from './deployment/replica-quota.service';
import { RolloutService } from './deployment/rollout.service';

/**
 * Deployments, rollouts and the replica quota. They need from the host module: the
 * registry's providers (@ml-run/builder-registry), REGISTRY_STORE, DEPLOYER,
 * DEPLOYMENT_SETTINGS, and MODEL_PRINCIPALS in cluster mode.
 */
export const DEPLOYMENT_PROVIDERS: Provider[] = [
  ModelPrincipalLifecycle,
  DeploymentSpecs,
  DeploymentLauncher,
  RolloutService,
  ReplicaQuota,
  DeploymentService,
  DeploymentLifecycle,
];
