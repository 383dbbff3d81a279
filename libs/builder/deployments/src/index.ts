export { DEPLOYMENT_PROVIDERS } from './lib/deployments.providers';
export { DeploymentController } from './lib/deployment/deployment.controller';
export { DEPLOYMENT_SETTINGS, type DeploymentSettings } from './lib/deployment/deployment-settings';
export { DeploymentLifecycle } from './lib/deployment/deployment-lifecycle.service';
export { ModelPrincipalLifecycle } from './lib/deployment/model-principal-lifecycle.service';
export { ReplicaQuota } from './lib/deployment/replica-quota.service';
export {
  MODEL_PRINCIPALS,
  type ModelKafkaAccess,
  type ModelPrincipals,
} from './lib/deployment/model-principals.port';
