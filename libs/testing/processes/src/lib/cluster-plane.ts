import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Plane } from './auth-plane';
import { digestOf, newPlaneCredentials } from './plane-credentials';
import { platformIgniteLogin, REAL_COMPONENTS } from './real-components';
import { realKafka } from './real-kafka';
import { registryEnv, type RegistryUnderTest } from './registry-under-test';
import { freePort, startApp, waitFor200, type ServiceProcess } from './service-process';

/** Seeded in tools/services/slapd (test fixtures, not secrets). */
export const LDAP_USERS = {
  publisher: { username: 'alice', password: 'alice-password-123' },
  predictor: { username: 'bob', password: 'bob-password-12345' },
} as const;

const LDAP_ENV = {
  MLRUN_LDAP_URL: REAL_COMPONENTS.ldapUrl,
  MLRUN_LDAP_BIND_DN: 'cn=admin,dc=mlrun,dc=test',
  MLRUN_LDAP_BIND_PASSWORD: 'mlrun-admin-password',
  MLRUN_LDAP_SEARCH_BASE: 'ou=people,dc=mlrun,dc=test',
  MLRUN_LDAP_GROUP_SEARCH_BASE: 'ou=groups,dc=mlrun,dc=test',
};

/**
 * Builder settings for the swarm target: images through Docker, pushed to `registry` (and
 * pulled by Swarm) with its credentials, replicas as Swarm services.
 */
export type SwarmSettings = {
  dockerHost: string;
  baseImage: string;
  /** The R base image (tools/images/build-base-r.sh), for runtime r models. */
  baseImageR?: string;
  registry: RegistryUnderTest;
};

/**
 * Builder settings for the openshift target: images as for Swarm, replicas as pods of a
 * Kubernetes cluster in `namespace`. Pods cannot reach 127.0.0.1: the validator also
 * listens on the node's address, and replicas get that URL.
 */
export type OpenshiftSettings = SwarmSettings & {
  target: 'openshift';
  kubeconfigPath: string;
  namespace: string;
  nodeIp: string;
};

/** Where the plane's builder runs replicas: child processes unless images are configured. */
export type ImageTarget = SwarmSettings | OpenshiftSettings;

export type ClusterPlane = Plane & {
  /** Each control-plane service as its own process. */
  services: Record<'validator' | 'issuer' | 'builder' | 'router', ServiceProcess>;
};

/**
 * Cluster mode: token-validator, auth-issuer, builder and router as separate processes on
 * Ignite, Kafka and LDAP (`npm run services:up`). Each plane gets its own registry namespace in Ignite,
 * so runs never see each other's registry.
 */
export async function startClusterPlane(
  env: Record<string, string> = {},
  images?: ImageTarget,
): Promise<ClusterPlane> {
  const kubernetes = images && 'target' in images ? images : undefined;
  const ports = { validator: 0, issuer: 0, builder: 0, router: 0 };
  for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mlrun-cluster-'));
  const credentials = newPlaneCredentials();
  const igniteLogin = platformIgniteLogin();
  // Each service gets only the credentials it presents, and the digests of those it checks.
  const common = {
    MLRUN_IGNITE_ENDPOINTS: REAL_COMPONENTS.igniteEndpoints,
    MLRUN_IGNITE_USERNAME: igniteLogin.userName,
    MLRUN_IGNITE_PASSWORD: igniteLogin.password,
    MLRUN_REGISTRY_NAMESPACE: `e2e-${randomBytes(4).toString('hex')}`,
    // The platform's Kafka principal: models never get it (their env drops MLRUN_*).
    ...realKafka().env,
    MLRUN_METRICS_TOKEN: digestOf(credentials.metrics),
    MLRUN_DATA_DIR: dataDir,
    ...env,
  };
  const services = {} as ClusterPlane['services'];
  const start = async (name: keyof typeof ports, app: string, extra: Record<string, string>) => {
    services[name] = startApp(app, { ...common, MLRUN_PORT: String(ports[name]), ...extra });
    await waitFor200(`${url(ports[name])}/readyz`, 60_000, services[name]);
  };
  try {
    await Promise.all([
      start('validator', 'token-validator', {
        MLRUN_INTROSPECTION_TOKEN: digestOf(credentials.introspection),
        MLRUN_TOKEN_MAC_KEY: credentials.tokenMacKey,
        ...(kubernetes && { MLRUN_HOST: `127.0.0.1,${kubernetes.nodeIp}` }),
      }),
      start('issuer', 'auth-issuer', { ...LDAP_ENV, MLRUN_TOKEN_MAC_KEY: credentials.tokenMacKey }),
    ]);
    await start('builder', 'builder', {
      MLRUN_VALIDATOR_URL: url(ports.validator),
      MLRUN_INTROSPECTION_TOKEN: credentials.introspection,
      MLRUN_ROUTE_TABLE_TOKEN: digestOf(credentials.routeTable),
      MLRUN_REGISTRY_READ_TOKEN: digestOf(credentials.registryRead),
      ...(images && {
        MLRUN_DOCKER_HOST: images.dockerHost,
        MLRUN_BASE_IMAGE: images.baseImage,
        ...(images.baseImageR && { MLRUN_BASE_IMAGE_R: images.baseImageR }),
        MLRUN_DEFAULT_TARGET: 'swarm',
        ...registryEnv(images.registry),
      }),
      // The models' Ignite listens on 127.0.0.1 only: pods get no ctx.ignite.
      ...(kubernetes
        ? {
            MLRUN_DEFAULT_TARGET: 'openshift',
            MLRUN_KUBECONFIG: kubernetes.kubeconfigPath,
            MLRUN_KUBERNETES_NAMESPACE: kubernetes.namespace,
            MLRUN_WRAPPER_VALIDATOR_URL: `http://${kubernetes.nodeIp}:${ports.validator}`,
          }
        : { MLRUN_MODEL_IGNITE_ENDPOINTS: REAL_COMPONENTS.modelIgniteEndpoints }),
    });
    await start('router', 'router', {
      MLRUN_BUILDER_URL: url(ports.builder),
      MLRUN_ROUTE_TABLE_TOKEN: credentials.routeTable,
      // Asynchronous predictions: the router checks tokens itself, with the validator.
      MLRUN_VALIDATOR_URL: url(ports.validator),
      MLRUN_INTROSPECTION_TOKEN: credentials.introspection,
    });
  } catch (error) {
    await stopAll(services);
    throw new Error(`cluster plane did not start: ${String(error)}\n${logsOf(services)}`);
  }
  return {
    deployTarget: kubernetes ? 'openshift' : images ? 'swarm' : 'process',
    services,
    // The builder's process: model replicas are its children.
    process: services.builder.process,
    exited: services.builder.exited,
    stdout: () =>
      Object.values(services)
        .map((s) => s.stdout())
        .join(''),
    stderr: () => logsOf(services),
    stop: () => stopAll(services),
    routerUrl: url(ports.router),
    builderUrl: url(ports.builder),
    issuerUrl: url(ports.issuer),
    validatorUrl: url(ports.validator),
    credentials,
    publisher: LDAP_USERS.publisher,
    dataDir,
  };
}

// Router first, builder (and its replicas) before the validator they ask about tokens.
async function stopAll(services: Partial<ClusterPlane['services']>): Promise<number | null> {
  let code: number | null = 0;
  for (const name of ['router', 'builder', 'issuer', 'validator'] as const) {
    const exit = await services[name]?.stop();
    if (exit !== undefined && exit !== 0) code = exit;
  }
  return code;
}

function logsOf(services: Partial<ClusterPlane['services']>): string {
  return Object.entries(services)
    .map(([name, s]) => `--- ${name} stderr:\n${s?.stderr().slice(-4000) ?? ''}`)
    .join('\n');
}
