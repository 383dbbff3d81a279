import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Credential = { username: string; password: string };

/** The image registry of tools/services/registry that tests push to and pull from. */
export type RegistryUnderTest = {
  /** host:port, as in image references. */
  address: string;
  /** Its CA (PEM) and where it is. */
  ca: string;
  caFile: string;
  push: Credential;
  pull: Credential;
};

/**
 * The registry tests use: `eval "$(tools/services/registry/up.sh)"` exports where it is
 * (MLRUN_REGISTRY, MLRUN_REGISTRY_CA, MLRUN_REGISTRY_{PUSH,PULL}_{USERNAME,PASSWORD}), so a
 * registry of one's own (MLRUN_REGISTRY_PORT, another MLRUN_SERVICES_DIR) serves the
 * tests; unset, the shared one on 127.0.0.1:5000 and the files up.sh keeps for it.
 */
export function registryUnderTest(env: NodeJS.ProcessEnv = process.env): RegistryUnderTest {
  const state = env['MLRUN_SERVICES_DIR'] ?? path.join(os.homedir(), '.ml-run/services');
  const dir = path.join(state, 'registry');
  const credential = (role: 'push' | 'pull'): Credential => ({
    username: env[`MLRUN_REGISTRY_${role.toUpperCase()}_USERNAME`] ?? `mlrun-${role}`,
    password:
      env[`MLRUN_REGISTRY_${role.toUpperCase()}_PASSWORD`] ??
      readFileSync(path.join(dir, `${role}.password`), 'utf8').trim(),
  });
  const caFile = env['MLRUN_REGISTRY_CA'] ?? path.join(dir, 'tls/ca.crt');
  return {
    address: env['MLRUN_REGISTRY'] ?? '127.0.0.1:5000',
    ca: readFileSync(caFile, 'utf8'),
    caFile,
    push: credential('push'),
    pull: credential('pull'),
  };
}

/** What a builder process is given to push and deploy with this registry. */
export function registryEnv(registry: RegistryUnderTest): Record<string, string> {
  return {
    MLRUN_REGISTRY: registry.address,
    MLRUN_REGISTRY_CA: registry.caFile,
    MLRUN_REGISTRY_PUSH_USERNAME: registry.push.username,
    MLRUN_REGISTRY_PUSH_PASSWORD: registry.push.password,
    MLRUN_REGISTRY_PULL_USERNAME: registry.pull.username,
    MLRUN_REGISTRY_PULL_PASSWORD: registry.pull.password,
  };
}
