import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { requestCheckerProvider } from '@ml-run/bearer-auth';
import { FakeValidator } from '@ml-run/bearer-auth/testing';
import { builderConfigShape, createBuilderApp } from '@ml-run/builder';
import { loadConfig, redactConfig } from '@ml-run/config';
import { MemoryDeployer } from '@ml-run/deployer/testing';
import { MemoryEventBus } from '@ml-run/event-bus';
import { modelPrincipalsOf } from '@ml-run/kafka-bus';
import type { ServiceApp } from '@ml-run/server';
import { credentialDigest } from '@ml-run/token-contract';

import {
  scrapeCredentialOf,
  standaloneAdapters,
  standaloneConfigShape,
  wrapperEnvOf,
} from './standalone-adapters';

const INTROSPECTION_TOKEN = 'introspection-credential-0123456789abcdef';

// The builder's authorizer port wired to the real TokenAuthorizer, against a fake validator.
describe(requestCheckerProvider.name, () => {
  let validator: FakeValidator;
  let dataDir: string;
  let sut: ServiceApp;

  beforeAll(async () => {
    validator = new FakeValidator(INTROSPECTION_TOKEN);
    validator.grant('writer', 'models:write:*');
    validator.grant('legacy-writer', 'models:write');
    validator.grant('reader', 'predict:*');
    const url = await validator.start();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'builder-app-'));
    const config = loadConfig(builderConfigShape, {
      MLRUN_DATA_DIR: dataDir,
      MLRUN_LOG_LEVEL: 'silent',
    });
    sut = await createBuilderApp(config, {
      events: new MemoryEventBus(),
      deployer: new MemoryDeployer(),
      authorizer: requestCheckerProvider({
        l1: { maxEntries: 100, ttlMs: 30_000, negativeTtlMs: 2000 },
        validator: { url, credential: INTROSPECTION_TOKEN, timeoutMs: 2000 },
        revocations: { subscribe: () => () => undefined },
      }),
    });
  });
  afterAll(async () => {
    await sut.close();
    await validator.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const get = (token?: string) =>
    sut.inject({
      method: 'PUT',
      url: '/v1/models/iris/aliases/stable',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      payload: { version: '1.0.0+aaaaaaaaaaaa' },
    });

  it('answers 401 with an RFC 6750 challenge without a valid token', async () => {
    const res = await get('unknown');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect((await get()).statusCode).toBe(401);
  });

  it('answers 403 to a token without models:write:iris, naming it', async () => {
    const res = await get('reader');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      details: { requiredScope: 'models:write:iris' },
    });
  });

  it.each(['writer', 'legacy-writer'])('lets a %s through to the registry', async (token) => {
    const res = await get(token);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('MODEL_NOT_FOUND');
  });

  it('lets any valid token list, showing only the models it may read', async () => {
    const res = await sut.inject({
      method: 'GET',
      url: '/v1/models',
      headers: { authorization: 'Bearer reader' },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe(standaloneAdapters.name, () => {
  const base = { MLRUN_INTROSPECTION_TOKEN: INTROSPECTION_TOKEN };

  it('hands replicas the introspection credential and the scrape digest, nothing more', async () => {
    const metrics = 'metrics-credential-0123456789abcdef0123';
    const adapters = await standaloneAdapters(
      loadConfig(standaloneConfigShape, {
        ...base,
        MLRUN_ROUTE_TABLE_TOKEN: 'route-table-credential-0123456789abcdef',
        MLRUN_REGISTRY_READ_TOKEN: 'registry-read-credential-0123456789abcdef',
        MLRUN_METRICS_TOKEN: metrics,
        // The image registry's credentials stay with the builder, never in a replica.
        MLRUN_REGISTRY_PUSH_USERNAME: 'mlrun-push',
        MLRUN_REGISTRY_PUSH_PASSWORD: 'push-secret-value',
        MLRUN_REGISTRY_PULL_USERNAME: 'mlrun-pull',
        MLRUN_REGISTRY_PULL_PASSWORD: 'pull-secret-value',
      }),
    );
    expect(adapters.wrapperEnv).toEqual({
      MLRUN_AUTH_MODE: 'bearer',
      MLRUN_VALIDATOR_URL: 'http://127.0.0.1:8092',
      MLRUN_INTROSPECTION_TOKEN: INTROSPECTION_TOKEN,
      MLRUN_METRICS_TOKEN: credentialDigest(metrics),
      // Not a credential: how the replica sandboxes its model code, as the builder does.
      MLRUN_SANDBOX: 'auto',
    });
    expect(adapters.credentials).toEqual({
      'route-table': 'route-table-credential-0123456789abcdef',
      'registry-read': 'registry-read-credential-0123456789abcdef',
    });
    // The builder itself presents the scrape credential to replicas (the console's traffic).
    expect(adapters.scrapeCredential).toBe(metrics);
  });

  it('presents no scrape credential when it holds only its digest', () => {
    const digestOnly = loadConfig(standaloneConfigShape, {
      ...base,
      MLRUN_METRICS_TOKEN: credentialDigest('metrics-credential-0123456789abcdef0123'),
    });
    expect(scrapeCredentialOf(digestOnly)).toBeUndefined();
    expect(scrapeCredentialOf(loadConfig(standaloneConfigShape, base))).toBeUndefined();
  });

  it("hands replicas the validator URL they reach, when it differs from the builder's", () => {
    const env = wrapperEnvOf(
      loadConfig(standaloneConfigShape, {
        ...base,
        MLRUN_VALIDATOR_URL: 'http://127.0.0.1:8092',
        MLRUN_WRAPPER_VALIDATOR_URL: 'http://10.213.0.1:8092',
      }),
    );
    expect(env).toMatchObject({ MLRUN_VALIDATOR_URL: 'http://10.213.0.1:8092' });
  });

  it("hands replicas the issuer's JWKS when tokens are signed, and nothing when not", () => {
    const jwks = 'http://10.213.0.1:8091/v1/auth/jwks';
    const signed = wrapperEnvOf(
      loadConfig(standaloneConfigShape, { ...base, MLRUN_TOKEN_JWKS_URL: jwks }),
    );
    expect(signed).toMatchObject({ MLRUN_TOKEN_JWKS_URL: jwks });
    expect(wrapperEnvOf(loadConfig(standaloneConfigShape, base))).not.toHaveProperty(
      'MLRUN_TOKEN_JWKS_URL',
    );
  });

  it("hands replicas the models' Ignite, never the platform's endpoints or login", () => {
    const platform = {
      MLRUN_IGNITE_ENDPOINTS: '127.0.0.1:10800',
      MLRUN_IGNITE_USERNAME: 'ignite',
      MLRUN_IGNITE_PASSWORD: 'platform-ignite-password-0123456789',
    };
    const withoutModels = wrapperEnvOf(loadConfig(standaloneConfigShape, { ...base, ...platform }));
    const withModels = wrapperEnvOf(
      loadConfig(standaloneConfigShape, {
        ...base,
        ...platform,
        MLRUN_MODEL_IGNITE_ENDPOINTS: '127.0.0.1:10900',
      }),
    );
    expect(withoutModels).not.toHaveProperty('MLRUN_MODEL_IGNITE_ENDPOINTS');
    expect(withModels).toMatchObject({ MLRUN_MODEL_IGNITE_ENDPOINTS: '127.0.0.1:10900' });
    for (const env of [withoutModels, withModels]) {
      expect(Object.keys(env).filter((key) => key.startsWith('MLRUN_IGNITE_'))).toEqual([]);
      expect(JSON.stringify(env)).not.toContain(platform.MLRUN_IGNITE_PASSWORD);
      expect(JSON.stringify(env)).not.toContain(':10800');
    }
  });

  it("never hands replicas the platform's or the admin's Kafka credentials", () => {
    const kafka = {
      MLRUN_KAFKA_BROKERS: '127.0.0.1:9092',
      MLRUN_KAFKA_USERNAME: 'ml-run-platform',
      MLRUN_KAFKA_PASSWORD: 'platform-kafka-password-0123456789',
      MLRUN_KAFKA_ADMIN_USERNAME: 'ml-run-admin',
      MLRUN_KAFKA_ADMIN_PASSWORD: 'admin-kafka-password-0123456789',
      MLRUN_KAFKA_MODEL_SECRET: 'model-secret-0123456789abcdef0123456789',
    };
    const env = wrapperEnvOf(loadConfig(standaloneConfigShape, { ...base, ...kafka }));
    for (const secret of Object.values(kafka).slice(2)) {
      expect(JSON.stringify(env)).not.toContain(secret);
    }
  });

  it('fails start on half of the per-model Kafka principal settings', () => {
    const half = { ...base, MLRUN_KAFKA_MODEL_SECRET: 'model-secret-0123456789abcdef0123456789' };
    expect(() => modelPrincipalsOf(loadConfig(standaloneConfigShape, half))).toThrow(
      /MLRUN_KAFKA_ADMIN_USERNAME/,
    );
  });

  it('fails start on the retired MLRUN_SERVICE_TOKEN alone, naming the credentials to set', () => {
    const retired = { MLRUN_SERVICE_TOKEN: INTROSPECTION_TOKEN };
    expect(() => loadConfig(builderConfigShape, retired)).toThrow(
      /MLRUN_SERVICE_TOKEN is no longer read: .*MLRUN_INTROSPECTION_TOKEN/,
    );
    expect(() => loadConfig(standaloneConfigShape, retired)).toThrow(
      /MLRUN_INTROSPECTION_TOKEN is required but not set/,
    );
  });

  it('builds no images without MLRUN_DOCKER_HOST', async () => {
    const adapters = await standaloneAdapters(loadConfig(standaloneConfigShape, base));
    expect(adapters.images).toBeUndefined();
  });

  it('refuses Docker without a base image, naming the variable', async () => {
    const config = loadConfig(standaloneConfigShape, {
      ...base,
      MLRUN_DOCKER_HOST: 'unix:///run/ml-run/docker.sock',
    });
    await expect(standaloneAdapters(config)).rejects.toThrow(/MLRUN_BASE_IMAGE must name/);
  });

  it('refuses a missing base image before it connects to anything', async () => {
    const config = loadConfig(standaloneConfigShape, {
      ...base,
      MLRUN_DOCKER_HOST: 'unix:///run/ml-run/docker.sock',
      // Nothing listens here: reaching Ignite first would fail with another error.
      MLRUN_IGNITE_ENDPOINTS: '127.0.0.1:1',
    });
    await expect(standaloneAdapters(config)).rejects.toThrow(/MLRUN_BASE_IMAGE must name/);
  });

  it('refuses half a registry credential before it connects, naming the missing variable', async () => {
    const config = loadConfig(standaloneConfigShape, {
      ...base,
      MLRUN_DOCKER_HOST: 'unix:///run/ml-run/docker.sock',
      MLRUN_BASE_IMAGE: '127.0.0.1:5000/ml-run/base:0123456789ab',
      MLRUN_REGISTRY_PUSH_USERNAME: 'mlrun-push',
      MLRUN_IGNITE_ENDPOINTS: '127.0.0.1:1',
    });
    await expect(standaloneAdapters(config)).rejects.toThrow(
      /MLRUN_REGISTRY_PUSH_PASSWORD must be set with MLRUN_REGISTRY_PUSH_USERNAME/,
    );
  });

  it('keeps the registry passwords out of a logged config', () => {
    const config = loadConfig(standaloneConfigShape, {
      ...base,
      MLRUN_REGISTRY_PUSH_USERNAME: 'mlrun-push',
      MLRUN_REGISTRY_PUSH_PASSWORD: 'push-secret-value',
      MLRUN_REGISTRY_PULL_USERNAME: 'mlrun-pull',
      MLRUN_REGISTRY_PULL_PASSWORD: 'pull-secret-value',
    });
    const logged = JSON.stringify(redactConfig(standaloneConfigShape, config));
    expect(logged).toContain('mlrun-push');
    expect(logged).not.toMatch(/push-secret-value|pull-secret-value/);
  });

  it('publishes images to the registry from the base image when both are set', async () => {
    const config = loadConfig(standaloneConfigShape, {
      ...base,
      MLRUN_DOCKER_HOST: 'unix:///run/ml-run/docker.sock',
      MLRUN_BASE_IMAGE: '127.0.0.1:5000/ml-run/base:0123456789ab',
      MLRUN_WRAPPER_IMAGE_DIR: '/opt/wrapper',
    });
    const { images } = await standaloneAdapters(config);
    expect(images).toMatchObject({
      registry: '127.0.0.1:5000',
      baseImage: '127.0.0.1:5000/ml-run/base:0123456789ab',
      wrapperDir: '/opt/wrapper',
    });
  });
});
