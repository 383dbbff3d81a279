import path from 'node:path';
import { Logger } from '@nestjs/common';
import type Docker from 'dockerode';

import { requestCheckerProvider } from '@ml-run/bearer-auth';
import type { BuilderAdapters } from '@ml-run/builder';
import type { ImagePublishing } from '@ml-run/builder-image-build';
import {
  checkedCredentialVar,
  ConfigError,
  hostPortListVar,
  intVar,
  modelProcessEnv,
  presentedCredentialVar,
  serverConfigShape,
  stringVar,
  type ConfigOf,
} from '@ml-run/config';
import { ProcessDeployer, type Deployer } from '@ml-run/deployer';
import {
  dockerConfigShape,
  DockerImages,
  dockerOf,
  registryAccessOf,
  SwarmDeployer,
  type RegistryAccess,
} from '@ml-run/docker';
import {
  MemoryEventBus,
  OutboxPublisher,
  SseEventSubscriber,
  type EventPublisher,
} from '@ml-run/event-bus';
import { connectIgnitePool, igniteConfigShape } from '@ml-run/ignite';
import {
  kafkaConfigShape,
  modelPrincipalsConfigShape,
  modelPrincipalsOf,
  startKafkaBus,
} from '@ml-run/kafka-bus';
import type { DeployTarget } from '@ml-run/registry-contract';
import { IgniteRegistryStore } from '@ml-run/registry-store';
import { hostSandbox, sandboxConfigShape } from '@ml-run/sandbox';
import type { OwnedResource } from '@ml-run/server';
import { digestOfSetting, isCredentialDigest } from '@ml-run/token-contract';

import { kubernetesConfigShape, kubernetesDeployerOf } from './kubernetes-target';

const httpUrl = { pattern: /^https?:\/\//, hint: 'must be an http(s) URL' };

/** What a standalone builder needs besides builderConfigShape: tokens, Ignite, Kafka. */
export const standaloneConfigShape = {
  MLRUN_VALIDATOR_URL: stringVar({ default: 'http://127.0.0.1:8092', ...httpUrl }),
  /**
   * The validator as model replicas reach it; default MLRUN_VALIDATOR_URL. Pods (the
   * openshift target) cannot reach the host's 127.0.0.1: give the validator's address on
   * the node (its MLRUN_HOST lists it) or its Service.
   */
  MLRUN_WRAPPER_VALIDATOR_URL: stringVar(httpUrl).optional(),
  /**
   * The issuer's JWKS (http://<issuer>/v1/auth/jwks) when it signs tokens
   * (MLRUN_TOKEN_FORMAT=jwt): the builder and every replica verify them with it, without
   * the validator. As replicas reach it (pods: not the host's 127.0.0.1).
   */
  MLRUN_TOKEN_JWKS_URL: stringVar(httpUrl).optional(),
  /**
   * The introspection credential: the builder presents it to the validator (its own token
   * checks, the revocation stream) and hands it to every replica, its only credential.
   */
  MLRUN_INTROSPECTION_TOKEN: presentedCredentialVar({ required: true }),
  /** What routers present to read GET /v1/routes; unset: only admins' tokens read it. */
  MLRUN_ROUTE_TABLE_TOKEN: checkedCredentialVar(),
  /** What the console presents to read models and versions; unset: users' tokens only. */
  MLRUN_REGISTRY_READ_TOKEN: checkedCredentialVar(),
  /** The builder's own scrape credential (builderConfigShape): replicas get its digest. */
  MLRUN_METRICS_TOKEN: serverConfigShape.MLRUN_METRICS_TOKEN,
  MLRUN_VALIDATOR_TIMEOUT_MS: intVar({ min: 50, max: 60_000, default: 2000 }),
  /** The built model-wrapper each replica runs; default: next to this app in dist/apps. */
  MLRUN_WRAPPER_MAIN: stringVar().optional(),
  /**
   * Installations (or test runs) sharing one cluster keep apart by it: their registries
   * in Ignite and their services on Swarm.
   */
  MLRUN_REGISTRY_NAMESPACE: stringVar({
    default: 'default',
    pattern: /^[a-z0-9][a-z0-9-]{0,62}$/,
    hint: 'must be lower-case letters, digits and dashes (at most 63)',
  }),
  /**
   * The models' own Ignite (tools/services/model-ignite), handed to every replica for
   * ctx.ignite; unset: models get no client. Never the platform's Ignite, whose stores
   * (tokens, registry) a model must not reach.
   */
  MLRUN_MODEL_IGNITE_ENDPOINTS: hostPortListVar({ example: '127.0.0.1:10900' }).optional(),
  /** With MLRUN_DOCKER_HOST: the image every model image starts FROM (tools/images/build-base.sh). */
  MLRUN_BASE_IMAGE: stringVar().optional(),
  /** The R base image for runtime r models (tools/images/build-base-r.sh --print-tag). */
  MLRUN_BASE_IMAGE_R: stringVar().optional(),
  /** The self-contained wrapper images get; default: dist/images/model-wrapper beside this app. */
  MLRUN_WRAPPER_IMAGE_DIR: stringVar().optional(),
  /**
   * The npm package folder node bundles' dependency fetch images run (the base image has
   * no npm); default: the npm beside this node (<prefix>/lib/node_modules/npm).
   */
  MLRUN_IMAGE_NPM_DIR: stringVar().optional(),
  /** A CA bundle image dependency fetches trust (a package proxy's own CA); unset: the base image's. */
  MLRUN_BUILD_CA_FILE: stringVar().optional(),
  ...igniteConfigShape,
  ...kafkaConfigShape,
  ...modelPrincipalsConfigShape,
  ...dockerConfigShape,
  ...kubernetesConfigShape,
  /** Process target: how replicas sandbox model code; without any, deploys are refused. */
  ...sandboxConfigShape,
};

export type StandaloneConfig = ConfigOf<typeof standaloneConfigShape>;

export type StandaloneAdapters = BuilderAdapters & { resources: OwnedResource[] };

/**
 * The builder as its own process: replicas as child processes, tokens checked by the
 * validator. With MLRUN_IGNITE_ENDPOINTS the registry lives in Ignite (models get
 * MLRUN_MODEL_IGNITE_ENDPOINTS for ctx.ignite, a cluster of their own); with MLRUN_KAFKA_BROKERS lifecycle events go to Kafka. Otherwise the
 * registry is a file under MLRUN_DATA_DIR and routers read GET /v1/routes only.
 */
export async function standaloneAdapters(
  config: StandaloneConfig,
  target: DeployTarget = 'process',
  /** Where lifecycle events wait while Kafka refuses them (under MLRUN_DATA_DIR). */
  outboxDir?: string,
): Promise<StandaloneAdapters> {
  // One engine client for images and Swarm; the image settings are checked before
  // anything connects, so a missing one fails start at once.
  const docker = dockerOf(config);
  const registryAccess = docker ? registryAccessOf(config) : undefined;
  const images = imagesOf(config, docker, registryAccess);
  const modelPrincipals = modelPrincipalsOf(config);
  const resources: OwnedResource[] = modelPrincipals ? [modelPrincipals] : [];
  const ignite = await connectIgnitePool(config);
  if (ignite) resources.push(ignite);
  const kafka = await startKafkaBus(config, { service: 'builder', topics: [] });
  if (kafka) resources.push(kafka);
  const events = kafka && outboxDir ? await outboxOf(kafka, outboxDir) : kafka;

  if (events instanceof OutboxPublisher) resources.push(events);
  const registry = ignite
    ? new IgniteRegistryStore(ignite, { keyPrefix: `${config.MLRUN_REGISTRY_NAMESPACE}/v1/` })
    : undefined;
  return {
    events: events ?? new MemoryEventBus(),
    registry,
    deployer: await deployerOf(config, target, docker, registryAccess),
    authorizer: authorizerOf(config),
    wrapperEnv: wrapperEnvOf(config),
    credentials: {
      'route-table': config.MLRUN_ROUTE_TABLE_TOKEN,
      'registry-read': config.MLRUN_REGISTRY_READ_TOKEN,
    },
    scrapeCredential: scrapeCredentialOf(config),
    images,
    resources,
    ...(modelPrincipals && { modelPrincipals }),
  };
}

/**
 * What the builder presents to replicas' /metrics and /v1/errors (the console's traffic
 * and errors views): MLRUN_METRICS_TOKEN when it holds the credential itself. Its digest
 * checks scrapers but cannot be presented: replicas then show as not scraped.
 */
export function scrapeCredentialOf(config: StandaloneConfig): string | undefined {
  const setting = config.MLRUN_METRICS_TOKEN;
  return setting === undefined || isCredentialDigest(setting) ? undefined : setting;
}

// An event the registry already reflects must reach the routers: one Kafka refuses past
// MLRUN_KAFKA_PUBLISH_TIMEOUT_MS waits on disk and is sent again, in order, until taken.
async function outboxOf(kafka: EventPublisher, dir: string): Promise<OutboxPublisher> {
  const logger = new Logger('EventOutbox');
  const outbox = new OutboxPublisher(kafka, dir, {
    onRetryFailed: (error, pending) =>
      logger.warn({ err: error, pending }, 'lifecycle event kept in the outbox'),
  });
  await outbox.start();
  return outbox;
}

// One target per builder: replicas as child processes, Swarm services of pushed images, or
// Kubernetes Deployments of them.
async function deployerOf(
  config: StandaloneConfig,
  target: DeployTarget,
  docker: Docker | undefined,
  registry: RegistryAccess | undefined,
): Promise<Deployer> {
  if (target === 'process') {
    // Cluster mode fails closed: a host that cannot sandbox model code gets no replicas.
    const sandbox = await hostSandbox(config.MLRUN_SANDBOX, true);
    const logger = new Logger('Sandbox');
    if (sandbox.refusal) logger.warn({ reason: sandbox.refusal }, 'process deployments refused');
    else if (sandbox.summary.level !== 'full') {
      logger.warn(sandbox.summary, 'model code will not be fully sandboxed');
    }
    return new ProcessDeployer({
      wrapperMain: config.MLRUN_WRAPPER_MAIN ?? path.join(__dirname, '../model-wrapper/main.js'),
      baseEnv: modelProcessEnv(),
      sandbox,
    });
  }
  // Deployments outlive the builder: the deployer adopts this installation's before it resolves.
  if (target === 'openshift') return kubernetesDeployerOf(config, registry);
  if (!docker) {
    throw new ConfigError([
      { variable: 'MLRUN_DEFAULT_TARGET', message: 'swarm needs MLRUN_DOCKER_HOST' },
    ]);
  }
  // Swarm gets the pull credential only: its nodes read images, they never push.
  const swarm = new SwarmDeployer(docker, {
    namespace: config.MLRUN_REGISTRY_NAMESPACE,
    registry: registry && { address: registry.address, pull: registry.pull },
  });
  // Services outlive the builder: take over the ones an earlier run left running.
  await swarm.adopt();
  return swarm;
}

// With Docker, every build also makes an image and pushes it to MLRUN_REGISTRY, with the
// push credential (and reads the base image with the pull one).
function imagesOf(
  config: StandaloneConfig,
  docker: Docker | undefined,
  registry: RegistryAccess | undefined,
): ImagePublishing | undefined {
  if (!docker) return undefined;
  if (!config.MLRUN_BASE_IMAGE) {
    throw new ConfigError([
      {
        variable: 'MLRUN_BASE_IMAGE',
        message:
          'must name the base image when MLRUN_DOCKER_HOST is set (tools/images/build-base.sh --print-tag)',
      },
    ]);
  }
  return {
    publisher: new DockerImages(docker, registry),
    registry: config.MLRUN_REGISTRY,
    baseImage: config.MLRUN_BASE_IMAGE,
    ...(config.MLRUN_BASE_IMAGE_R ? { baseImageR: config.MLRUN_BASE_IMAGE_R } : {}),
    wrapperDir:
      config.MLRUN_WRAPPER_IMAGE_DIR ?? path.join(__dirname, '../../images/model-wrapper'),
    npmDir:
      config.MLRUN_IMAGE_NPM_DIR ??
      path.join(path.dirname(process.execPath), '../lib/node_modules/npm'),
    ...(config.MLRUN_BUILD_CA_FILE ? { fetchCaFile: config.MLRUN_BUILD_CA_FILE } : {}),
  };
}

// A short L1: the builder sees few requests, and a revoked writer must stop quickly.
function authorizerOf(config: StandaloneConfig) {
  const validator = validatorOf(config);
  const revocations = new SseEventSubscriber({
    url: new URL('/v1/tokens/events', validator.url).toString(),
    credential: validator.credential,
  });
  return requestCheckerProvider({
    l1: { maxEntries: 10_000, ttlMs: 30_000, negativeTtlMs: 2000 },
    validator,
    revocations,
    ...(config.MLRUN_TOKEN_JWKS_URL !== undefined && {
      signedTokens: {
        jwksUrl: config.MLRUN_TOKEN_JWKS_URL,
        timeoutMs: config.MLRUN_VALIDATOR_TIMEOUT_MS,
      },
    }),
  });
}

function validatorOf(config: StandaloneConfig) {
  return {
    url: config.MLRUN_VALIDATOR_URL,
    credential: config.MLRUN_INTROSPECTION_TOKEN,
    timeoutMs: config.MLRUN_VALIDATOR_TIMEOUT_MS,
  };
}

// Replicas hear of revocations from the validator (SSE), and reach the models' Ignite for
// ctx.ignite. They hold the introspection credential and nothing else: the scrape credential
// only as its digest (a replica checks it, and must not be able to scrape other services),
// neither the platform Ignite's endpoints nor its login.
export function wrapperEnvOf(config: StandaloneConfig): Record<string, string> {
  const env: Record<string, string> = {
    MLRUN_AUTH_MODE: 'bearer',
    MLRUN_VALIDATOR_URL: config.MLRUN_WRAPPER_VALIDATOR_URL ?? config.MLRUN_VALIDATOR_URL,
    MLRUN_INTROSPECTION_TOKEN: config.MLRUN_INTROSPECTION_TOKEN,
    MLRUN_SANDBOX: config.MLRUN_SANDBOX,
  };
  if (config.MLRUN_METRICS_TOKEN) {
    env['MLRUN_METRICS_TOKEN'] = digestOfSetting(config.MLRUN_METRICS_TOKEN);
  }
  if (config.MLRUN_TOKEN_JWKS_URL) env['MLRUN_TOKEN_JWKS_URL'] = config.MLRUN_TOKEN_JWKS_URL;
  if (config.MLRUN_MODEL_IGNITE_ENDPOINTS) {
    env['MLRUN_MODEL_IGNITE_ENDPOINTS'] = config.MLRUN_MODEL_IGNITE_ENDPOINTS;
  }
  return env;
}
