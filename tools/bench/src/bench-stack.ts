import path from 'node:path';

import {
  freePort,
  REPO_ROOT,
  startApp,
  waitFor200,
  type AuthPlane,
  type ServiceProcess,
} from '@ml-run/process-testing';

export type WrapperUnderTest = { url: string; process: ServiceProcess };

/** Starts a model-wrapper wired to the control plane, and waits until it is READY. */
export async function startModelWrapper(
  plane: AuthPlane,
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
