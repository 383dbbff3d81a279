import type { Provider } from '@nestjs/common';

import { BuildEventStreams } from './build/build-event-streams.service';
import { BuildRunner } from './build/build-runner.service';
import { BuildTracker } from './build/build-tracker.service';
import { BuildMetrics } from './build/build.metrics';
import { BuildService } from './build/build.service';
import { ImageSteps } from './build/image-steps.service';
import { BundleIntake } from './upload/bundle-intake.service';
import { UploadMetrics } from './upload/upload.metrics';
import { UploadService } from './upload/upload.service';

/**
 * Upload intake and builds. They need from the host module: the registry's providers
 * (@ml-run/builder-registry), REGISTRY_STORE, COMMAND_RUNNER, IMAGE_PUBLISHING,
 * MAX_BUNDLE_BYTES, BUILD_LIMITS and BUILD_POLICY.
 */
export const IMAGE_BUILD_PROVIDERS: Provider[] = [
  BundleIntake,
  UploadMetrics,
  UploadService,
  BuildMetrics,
  BuildTracker,
  ImageSteps,
  BuildRunner,
  BuildService,
  BuildEventStreams,
];
