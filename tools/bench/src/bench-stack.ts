import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  freePort,
  REPO_ROOT,
  startApp,
  waitFor200,
  type ServiceProcess,
} from '@ml-run/process-testing';

export type ControlPlane = {
  issuerUrl: string;
  validatorUrl: string;
  serviceToken: string;
  adminPassword: string;
  process: ServiceProcess;
};

/** Starts embedded mode's auth services (issuer + validator) on free ports. */
export async function startControlPlane(
  extraEnv: Record<string, string> = {},
): Promise<ControlPlane> {
  const [issuerPort, validatorPort] = [await freePort(), await freePort()];
  const serviceToken = randomBytes(32).toString('base64url');
  const adminPassword = randomBytes(18).toString('base64url');
  const service = startApp('embedded', {
    MLRUN_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'mlrun-bench-')),
    MLRUN_ADMIN_PASSWORD: adminPassword,
    MLRUN_SERVICE_TOKEN: serviceToken,
    MLRUN_AUTH_ISSUER_PORT: String(issuerPort),
    MLRUN_TOKEN_VALIDATOR_PORT: String(validatorPort),
    ...extraEnv,
  });
  const issuerUrl = `http://127.0.0.1:${issuerPort}`;
  const validatorUrl = `http://127.0.0.1:${validatorPort}`;
  await waitFor200(`${issuerUrl}/readyz`);
  await waitFor200(`${validatorUrl}/readyz`);
  return { issuerUrl, validatorUrl, serviceToken, adminPassword, process: service };
}

/** Logs in with the password grant and returns the access token. */
export async function login(
  issuerUrl: string,
  username: string,
  password: string,
): Promise<string> {
  const response = await fetch(`${issuerUrl}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username, password }),
  });
  if (!response.ok)
    throw new Error(`login as ${username} failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export type WrapperUnderTest = { url: string; process: ServiceProcess };

/** Starts a model-wrapper wired to the control plane, and waits until it is READY. */
export async function startModelWrapper(
  plane: ControlPlane,
  modelDir: string,
  env: Record<string, string>,
): Promise<WrapperUnderTest> {
  const port = await freePort();
  const service = startApp('model-wrapper', {
    MLRUN_MODEL_DIR: path.resolve(REPO_ROOT, modelDir),
    MLRUN_PORT: String(port),
    MLRUN_VALIDATOR_URL: plane.validatorUrl,
    MLRUN_SERVICE_TOKEN: plane.serviceToken,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/readyz`);
  return { url, process: service };
}

/** The sum of a Prometheus counter's samples whose line matches the pattern. */
export async function counterValue(baseUrl: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => pattern.test(line))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}
