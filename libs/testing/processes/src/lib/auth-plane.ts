import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { newPlaneCredentials, type PlaneCredentials } from './plane-credentials';
import { freePort, startApp, waitFor200, type ServiceProcess } from './service-process';

/** A user allowed to upload, deploy and predict (scopes `models:write:* predict:*` or admin). */
export type Credentials = { username: string; password: string };

/** The control plane under test, whichever way it runs (one process, or one per service). */
export type Plane = ServiceProcess & {
  /**
   * Where deployments run: child processes of the builder, Swarm services, or pods. A util
   * may not import the registry contract's DEPLOY_TARGETS; the e2e PlatformClient checks this
   * union against it when it builds a DeploymentRequest.
   */
  deployTarget: 'process' | 'swarm' | 'openshift';
  routerUrl: string;
  builderUrl: string;
  issuerUrl: string;
  validatorUrl: string;
  /** The service credentials the plane's services run with. */
  credentials: PlaneCredentials;
  publisher: Credentials;
  dataDir: string;
};

export type AuthPlane = Plane & { adminPassword: string };

/** Embedded mode (router, builder, issuer, validator) as one process, on free ports. */
export async function startAuthPlane(env: Record<string, string> = {}): Promise<AuthPlane> {
  const [routerPort, builderPort] = [await freePort(), await freePort()];
  const [issuerPort, validatorPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mlrun-plane-'));
  const credentials = newPlaneCredentials();
  const adminPassword = randomBytes(18).toString('base64url');
  const service = startApp('embedded', {
    MLRUN_DATA_DIR: dataDir,
    MLRUN_ADMIN_PASSWORD: adminPassword,
    MLRUN_INTROSPECTION_TOKEN: credentials.introspection,
    MLRUN_ROUTE_TABLE_TOKEN: credentials.routeTable,
    MLRUN_REGISTRY_READ_TOKEN: credentials.registryRead,
    MLRUN_METRICS_TOKEN: credentials.metrics,
    MLRUN_ROUTER_PORT: String(routerPort),
    MLRUN_BUILDER_PORT: String(builderPort),
    MLRUN_AUTH_ISSUER_PORT: String(issuerPort),
    MLRUN_TOKEN_VALIDATOR_PORT: String(validatorPort),
    ...env,
  });
  const issuerUrl = `http://127.0.0.1:${issuerPort}`;
  const validatorUrl = `http://127.0.0.1:${validatorPort}`;
  const routerUrl = `http://127.0.0.1:${routerPort}`;
  const builderUrl = `http://127.0.0.1:${builderPort}`;
  try {
    for (const url of [issuerUrl, validatorUrl, builderUrl, routerUrl])
      await waitFor200(`${url}/readyz`, undefined, service);
  } catch (error) {
    // A plane that never got ready must not outlive the caller's failed start.
    await service.stop();
    throw error;
  }
  return {
    ...service,
    deployTarget: 'process',
    publisher: { username: 'admin', password: adminPassword },
    routerUrl,
    builderUrl,
    issuerUrl,
    validatorUrl,
    credentials,
    adminPassword,
    dataDir,
  };
}

export type TokenAnswer = {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
};

/** POST /v1/auth/token (password grant) as JSON or as an OAuth2 form. */
export async function login(
  issuerUrl: string,
  username: string,
  password: string,
  as: 'json' | 'form' = 'json',
): Promise<TokenAnswer> {
  const fields = { grant_type: 'password', username, password };
  const response = await fetch(`${issuerUrl}/v1/auth/token`, {
    method: 'POST',
    headers: {
      'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
    },
    body: as === 'json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
  });
  if (response.status !== 200)
    throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  return (await response.json()) as TokenAnswer;
}
