import type { Provider } from '@nestjs/common';

import { DeploymentLauncher } from './deployment/deployment-launcher.service';
import { DeploymentLifecycle } from './deployment/deployment-lifecycle.service';
import { DeploymentService } from './deployment/deployment.service';
import { ReplicaQuota } from './deployment/replica-quota.service';
import { RolloutService } from './deployment/rollout.service';

/**
 * Deployments, rollouts and the replica quota. They need from the host module: the
 * registry's providers (@ml-run/builder-registry), REGISTRY_STORE, DEPLOYER and
 * DEPLOYMENT_SETTINGS.
 */
export const DEPLOYMENT_PROVIDERS: Provider[] = [
  DeploymentLauncher,
  RolloutService,
  ReplicaQuota,
  DeploymentService,
  DeploymentLifecycle,
];
