// Nest pieces the builder's module composes.
export { IMAGE_BUILD_PROVIDERS } from './lib/image-build.providers';
export { UploadController } from './lib/upload/upload.controller';
export { BuildsController } from './lib/build/builds.controller';
export { MAX_BUNDLE_BYTES } from './lib/upload/bundle-intake.service';
export { registerBundleBodyParser } from './lib/upload/bundle-body-parser';
export { BUILD_LIMITS, BuildService, type BuildLimits } from './lib/build/build.service';
export { BUILD_POLICY } from './lib/build/source-builds';
export { BuildTracker } from './lib/build/build-tracker.service';
export { ImageSteps } from './lib/build/image-steps.service';

// Ports and the adapter the host picks from.
export {
  COMMAND_RUNNER,
  type CommandRunner,
  type CommandSpec,
} from './lib/build/command-runner.port';
export { SpawnCommandRunner } from './lib/build/spawn-command-runner.adapter';
export {
  IMAGE_PUBLISHING,
  type ImagePublisher,
  type ImagePublishing,
} from './lib/build/image-publisher.port';
