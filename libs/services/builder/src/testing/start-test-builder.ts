import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import {
  DeploymentLifecycle,
  ModelPrincipalLifecycle,
  type ModelPrincipals,
} from '@ml-run/builder-deployments';
import {
  BuildTracker,
  type CommandRunner,
  type ImagePublishing,
} from '@ml-run/builder-image-build';
import { loadConfig } from '@ml-run/config';
import { MemoryDeployer, type MemoryDeployerOptions } from '@ml-run/deployer/testing';
import { MemoryEventBus } from '@ml-run/event-bus';
import { MODEL_EVENTS_TOPIC, type ModelEvent } from '@ml-run/registry-contract';
import type { RegistryStore } from '@ml-run/registry-store';
import type { ServiceApp } from '@ml-run/server';
import { TEST_CREDENTIALS, TEST_METRICS_TOKEN } from '@ml-run/server/testing';

import { builderConfigShape } from '../lib/builder.config';
import { createBuilderApp } from '../lib/create-builder-app';
import { FakeAuthorizer } from './fake-authorizer';

export type TestBuilder = {
  app: ServiceApp;
  dataDir: string;
  deployer: MemoryDeployer;
  authorizer: FakeAuthorizer;
  bus: MemoryEventBus;
  /** Every model event published, oldest first. */
  events: ModelEvent[];
  /** Resolves when no build is running. */
  buildsIdle(): Promise<void>;
  /** A new app (and deployer) on the same data dir, as after a restart. */
  restart(): Promise<TestBuilder>;
  close(): Promise<void>;
};

export type TestBuilderOptions = {
  settings?: Record<string, string>;
  commands?: CommandRunner;
  /** Image publishing (a FakeImagePublisher); none: the image and push steps are skipped. */
  images?: ImagePublishing;
  dataDir?: string;
  /** Default: the file store under the data dir. */
  registry?: (dataDir: string) => RegistryStore;
  /** Base URL of a replica (MemoryDeployer's urlFor); default: a fake URL nothing answers. */
  replicaUrl?: MemoryDeployerOptions['urlFor'];
  /** Per-model Kafka principals (cluster mode); none: models get no Kafka access. */
  modelPrincipals?: ModelPrincipals;
};

/** What routers present to this test builder (GET /v1/routes). */
export const TEST_ROUTE_TABLE_TOKEN = TEST_CREDENTIALS['route-table'];
/** What the console presents to this test builder (registry reads). */
export const TEST_REGISTRY_READ_TOKEN = TEST_CREDENTIALS['registry-read'];

/**
 * A builder on a temp data dir with a memory bus, the MemoryDeployer and a fake
 * authorizer; not listening (use inject). Drain is 0 s unless settings say otherwise.
 */

export async function startTestBuilder(options: TestBuilderOptions = {}): Promise<TestBuilder> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'builder-')));
  const config = loadConfig(builderConfigShape, {
    MLRUN_PORT: '0',
    MLRUN_LOG_LEVEL: 'silent',
    MLRUN_DATA_DIR: dataDir,
    MLRUN_DRAIN_SECONDS: '0',
    MLRUN_METRICS_TOKEN: TEST_METRICS_TOKEN,
    ...options.settings,
  });
  const bus = new MemoryEventBus();
  const events: ModelEvent[] = [];
  bus.subscribe<ModelEvent>(MODEL_EVENTS_TOPIC, (event) => void events.push(event));
  const deployer = new MemoryDeployer({ urlFor: options.replicaUrl });
  const authorizer = new FakeAuthorizer();
  const app = await createBuilderApp(config, {
    events: bus,
    deployer,
    authorizer,
    commands: options.commands,
    images: options.images,
    registry: options.registry?.(dataDir),
    wrapperEnv: { MLRUN_AUTH_MODE: 'disabled' },
    scrapeCredential: TEST_METRICS_TOKEN,
    ...(options.modelPrincipals && { modelPrincipals: options.modelPrincipals }),
    credentials: {
      'route-table': TEST_ROUTE_TABLE_TOKEN,
      'registry-read': TEST_REGISTRY_READ_TOKEN,
    },
  });
  await app.nest.get(DeploymentLifecycle).restored();
  await app.nest.get(ModelPrincipalLifecycle).reconciled();
  const builder: TestBuilder = {
    app,
    dataDir,
    deployer,
    authorizer,
    bus,
    events,
    buildsIdle: () => app.nest.get(BuildTracker).idle(),
    restart: async () => {
      await app.close();
      return startTestBuilder({ ...options, dataDir });
    },
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return builder;
}
