import { Module, type DynamicModule, type Provider } from '@nestjs/common';

import {
  DEPLOYMENT_PROVIDERS,
  DEPLOYMENT_SETTINGS,
  DeploymentController,
  MODEL_PRINCIPALS,
  type DeploymentSettings,
  type ModelPrincipals,
} from '@ml-run/builder-deployments';
import {
  BUILD_LIMITS,
  BUILD_POLICY,
  BuildsController,
  COMMAND_RUNNER,
  IMAGE_BUILD_PROVIDERS,
  IMAGE_PUBLISHING,
  MAX_BUNDLE_BYTES,
  SpawnCommandRunner,
  UploadController,
  type BuildLimits,
  type CommandRunner,
  type ImagePublishing,
} from '@ml-run/builder-image-build';
import {
  AliasController,
  BuilderAccessEnforcer,
  DataDirs,
  EVENT_PUBLISHER,
  REGISTRY_PROVIDERS,
  RegistryController,
  REQUEST_AUTHORIZER,
  type RequestAuthorizer,
  type RequestAuthorizerProvider,
} from '@ml-run/builder-registry';
import { DEPLOYER, type Deployer } from '@ml-run/deployer';
import type { EventPublisher } from '@ml-run/event-bus';
import { FileRegistryStore, REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';
import { ACCESS_ENFORCER, LongLivedStreams } from '@ml-run/server';

import type { BuilderConfig } from './builder.config';
import { ModelRecordStreams } from './observation/model-record-streams.service';
import { ModelTrafficService } from './observation/model-traffic.service';
import { ObservationController } from './observation/observation.controller';
import { ReplicaScraper } from './observation/replica-scraper';
import { VersionErrorsService } from './observation/version-errors.service';

/** What the builder talks to; the host (main.ts, embedded mode, a test) picks each one. */
export type BuilderAdapters = {
  /** Where lifecycle events go: the in-process bus, or Kafka. */
  events: EventPublisher;
  deployer: Deployer;
  /** Checks bearer tokens: a value, or a factory over Nest modules (BearerAuthModule). */
  authorizer: RequestAuthorizer | RequestAuthorizerProvider;
  /** Default: FileRegistryStore under `<MLRUN_DATA_DIR>/registry`. */
  registry?: RegistryStore;
  /**
   * MLRUN_ settings every wrapper replica gets (auth mode, validator URL, the introspection
   * credential, the scrape credential's digest): never another role's credential.
   */
  wrapperEnv?: Record<string, string>;
  /**
   * The service credentials the builder's doors check (each the credential or its sha256
   * digest): routers reading GET /v1/routes, the console reading the registry. A role left
   * out: its doors are for users' tokens only.
   */
  credentials?: BuilderCredentials;
  /**
   * Runs pip and npm for builds (untrusted: never as the builder); default: child
   * processes as the mlrun-model user when the builder is root (SpawnCommandRunner).
   */
  commands?: CommandRunner;
  /** Builds and pushes an image per version (Docker); none: the image and push steps are skipped. */
  images?: ImagePublishing;
  /**
   * The scrape credential itself (replicas hold only its digest): the builder presents it to
   * read replicas' /metrics and /v1/errors for the console. None: replicas show as not scraped.
   */
  scrapeCredential?: string;
  /**
   * Cluster mode: gives each deployed model its own Kafka principal, which its replicas
   * get (asynchronous predictions, stream scoring). None: replicas get no Kafka access.
   */
  modelPrincipals?: ModelPrincipals;
};

export type BuilderCredentials = { 'route-table'?: string; 'registry-read'?: string };

@Module({})
export class BuilderModule {
  static forRoot(config: BuilderConfig, adapters: BuilderAdapters): DynamicModule {
    const dirs = new DataDirs(config.MLRUN_DATA_DIR);
    const authorizer = authorizerWiring(adapters.authorizer);
    return {
      module: BuilderModule,
      imports: authorizer.imports,
      controllers: [
        UploadController,
        RegistryController,
        BuildsController,
        DeploymentController,
        AliasController,
        ObservationController,
      ],
      providers: [
        authorizer.provider,
        { provide: ACCESS_ENFORCER, useClass: BuilderAccessEnforcer },
        { provide: DataDirs, useValue: dirs },
        {
          provide: REGISTRY_STORE,
          useValue: adapters.registry ?? new FileRegistryStore(dirs.registry),
        },
        { provide: DEPLOYER, useValue: adapters.deployer },
        { provide: MODEL_PRINCIPALS, useValue: adapters.modelPrincipals },
        { provide: EVENT_PUBLISHER, useValue: adapters.events },
        { provide: COMMAND_RUNNER, useValue: adapters.commands ?? new SpawnCommandRunner() },
        { provide: IMAGE_PUBLISHING, useValue: adapters.images },
        { provide: MAX_BUNDLE_BYTES, useValue: config.MLRUN_MAX_BUNDLE_BYTES },
        { provide: BUILD_LIMITS, useValue: buildLimits(config) },
        {
          provide: BUILD_POLICY,
          useValue: { allowSourceBuilds: config.MLRUN_ALLOW_SOURCE_BUILDS },
        },
        { provide: LongLivedStreams, useValue: LongLivedStreams.fromSettings(config) },
        { provide: DEPLOYMENT_SETTINGS, useValue: deploymentSettings(config, adapters) },
        { provide: ReplicaScraper, useValue: new ReplicaScraper(adapters.scrapeCredential) },
        ...SERVICES,
      ],
    };
  }
}

// The features' services (each lib's list says what it needs from this module), then the
// console's observation of models (events, traffic, errors), which reads the registry.
const SERVICES: Provider[] = [
  ...REGISTRY_PROVIDERS,
  ...IMAGE_BUILD_PROVIDERS,
  ...DEPLOYMENT_PROVIDERS,
  ModelRecordStreams,
  ModelTrafficService,
  VersionErrorsService,
];

function authorizerWiring(authorizer: BuilderAdapters['authorizer']) {
  if (!('useFactory' in authorizer)) {
    return { imports: [], provider: { provide: REQUEST_AUTHORIZER, useValue: authorizer } };
  }
  const { imports, ...factory } = authorizer;
  return { imports, provider: { provide: REQUEST_AUTHORIZER, ...factory } };
}

function buildLimits(config: BuilderConfig): BuildLimits {
  return {
    maxConcurrent: config.MLRUN_MAX_CONCURRENT_BUILDS,
    timeoutMs: config.MLRUN_BUILD_TIMEOUT_SECONDS * 1000,
  };
}

function deploymentSettings(config: BuilderConfig, adapters: BuilderAdapters): DeploymentSettings {
  return {
    defaultTarget: config.MLRUN_DEFAULT_TARGET,
    readyTimeoutMs: config.MLRUN_READY_TIMEOUT_SECONDS * 1000,
    drainMs: config.MLRUN_DRAIN_SECONDS * 1000,
    maxReplicasPerUser: config.MLRUN_MAX_REPLICAS_PER_USER,
    wrapperEnv: { ...adapters.wrapperEnv },
    modelKafka: adapters.modelPrincipals !== undefined,
  };
}
