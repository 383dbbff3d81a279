export { createBuilderApp } from './lib/create-builder-app';
export { builderConfigShape, type BuilderConfig } from './lib/builder.config';
export type { BuilderAdapters } from './lib/builder.module';
export { BuilderErrorCode } from './lib/builder.errors';
export {
  REQUEST_AUTHORIZER,
  type Principal,
  type RequestAuthorizer,
  type RequestAuthorizerProvider,
} from './lib/authorization/request-authorizer.port';
export { WRITE_SCOPE } from './lib/authorization/builder-auth.guard';
export {
  REGISTRY_STORE,
  type Aliases,
  type DesiredDeployment,
  type RegistryStore,
} from './lib/registry/registry-store.port';
export { FileRegistryStore } from './lib/registry/file-registry-store.adapter';
export {
  IgniteRegistryStore,
  REGISTRY_CACHE,
  type IgniteRegistryStoreOptions,
} from './lib/registry/ignite-registry-store';
export {
  COMMAND_RUNNER,
  type CommandRunner,
  type CommandSpec,
} from './lib/build/command-runner.port';
export {
  IMAGE_PUBLISHING,
  type ImagePublisher,
  type ImagePublishing,
} from './lib/build/image-publisher.port';
export { IMAGE_NAMESPACE, imageTag } from './lib/build/image-tag';
export {
  buildContext,
  type BuildContextInput,
  type ImageBuildContext,
} from './lib/image/build-context';
export { planDependencies, type DependencyPlan } from './lib/image/dependency-plan';
export { dockerfileFor } from './lib/image/dockerfile';
export { IMAGE_LABELS } from './lib/image/image-labels';
export type { ImageOptions } from './lib/image/image-options';
export { ImageContextError, ImageContextErrorCode } from './lib/image/image.errors';
