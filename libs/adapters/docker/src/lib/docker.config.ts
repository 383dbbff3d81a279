import Docker from 'dockerode';

import { ConfigError, optionalSecretVar, stringVar, type ConfigIssue } from '@ml-run/config';

import { readCa, type RegistryAccess, type RegistryCredential } from './registry/registry-access';

const DOCKER_HOST = /^(unix:\/\/\/\S+|tcp:\/\/127\.0\.0\.1:\d{1,5})$/;
const USERNAME = { pattern: /^[A-Za-z0-9._-]{1,64}$/, hint: 'must be [A-Za-z0-9._-], 1..64' };

/** Where images are built and pushed (swarm target); unset: no images (process target only). */
export const dockerConfigShape = {
  /** The engine's socket, `unix:///…` (or `tcp://127.0.0.1:<port>`). */
  MLRUN_DOCKER_HOST: stringVar({
    pattern: DOCKER_HOST,
    hint: 'must be unix:///path/to/docker.sock or tcp://127.0.0.1:<port>',
  }).optional(),
  /** The registry images are pushed to, as host:port. */
  MLRUN_REGISTRY: stringVar({
    default: '127.0.0.1:5000',
    pattern: /^[A-Za-z0-9.-]+(:\d{1,5})?$/,
    hint: 'must be host:port, e.g. 127.0.0.1:5000',
  }),
  /** PEM file of the CA the registry's TLS certificate is checked against (tools/services/registry). */
  MLRUN_REGISTRY_CA: stringVar().optional(),
  /** The push principal: the builder pushes images with it. */
  MLRUN_REGISTRY_PUSH_USERNAME: stringVar(USERNAME).optional(),
  MLRUN_REGISTRY_PUSH_PASSWORD: optionalSecretVar(),
  /** The pull principal: handed to Swarm with each service, so its nodes can pull. */
  MLRUN_REGISTRY_PULL_USERNAME: stringVar(USERNAME).optional(),
  MLRUN_REGISTRY_PULL_PASSWORD: optionalSecretVar(),
};

type RegistrySettings = {
  MLRUN_REGISTRY: string;
  MLRUN_REGISTRY_CA?: string;
  MLRUN_REGISTRY_PUSH_USERNAME?: string;
  MLRUN_REGISTRY_PUSH_PASSWORD?: string;
  MLRUN_REGISTRY_PULL_USERNAME?: string;
  MLRUN_REGISTRY_PULL_PASSWORD?: string;
};

/** A dockerode client for the configured engine, or undefined when none is configured. */
export function dockerOf(config: { MLRUN_DOCKER_HOST?: string }): Docker | undefined {
  const host = config.MLRUN_DOCKER_HOST;
  if (host === undefined) return undefined;
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host);
  return new Docker({ host: url.hostname, port: Number(url.port), protocol: 'http' });
}

/**
 * The registry's address, CA and credentials. A user name without its password (or the
 * reverse), or a CA file that cannot be read, fails start naming the variable.
 */
export function registryAccessOf(config: RegistrySettings): RegistryAccess {
  const issues: ConfigIssue[] = [];
  const access: RegistryAccess = { address: config.MLRUN_REGISTRY };
  if (config.MLRUN_REGISTRY_CA !== undefined) {
    try {
      access.ca = readCa(config.MLRUN_REGISTRY_CA);
    } catch (error) {
      issues.push({
        variable: 'MLRUN_REGISTRY_CA',
        message: `must name a readable PEM certificate file (${(error as Error).message})`,
      });
    }
  }
  const push = credentialOf('PUSH', config, issues);
  const pull = credentialOf('PULL', config, issues);
  if (issues.length > 0) throw new ConfigError(issues);
  if (push) access.push = push;
  if (pull) access.pull = pull;
  return access;
}

function credentialOf(
  role: 'PUSH' | 'PULL',
  config: RegistrySettings,
  issues: ConfigIssue[],
): RegistryCredential | undefined {
  const username = config[`MLRUN_REGISTRY_${role}_USERNAME`];
  const password = config[`MLRUN_REGISTRY_${role}_PASSWORD`];
  if (username !== undefined && password !== undefined) return { username, password };
  if (username === undefined && password === undefined) return undefined;
  const missing = username === undefined ? 'USERNAME' : 'PASSWORD';
  issues.push({
    variable: `MLRUN_REGISTRY_${role}_${missing}`,
    message: `must be set with MLRUN_REGISTRY_${role}_${missing === 'USERNAME' ? 'PASSWORD' : 'USERNAME'}`,
  });
  return undefined;
}
