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
export {
  COMMAND_RUNNER,
  type CommandRunner,
  type CommandSpec,
} from './lib/build/command-runner.port';
export type { ImagePublisher, ImagePublishing } from './lib/build/image-publisher.port';
