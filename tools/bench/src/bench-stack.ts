import path from 'node:path';

import {
  digestOf,
  freePort,
  REPO_ROOT,
  scraperHeaders,
  startApp,
  waitFor200,
  type AuthPlane,
  type ServiceProcess,
} from '@ml-run/process-testing';

export type WrapperUnderTest = {
  url: string;
  process: ServiceProcess;
  /** The headers /metrics asks for (the plane's scrape credential). */
  scrape: Record<string, string>;
};

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
    MLRUN_INTROSPECTION_TOKEN: plane.credentials.introspection,
    MLRUN_METRICS_TOKEN: digestOf(plane.credentials.metrics),
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/readyz`);
  return { url, process: service, scrape: scraperHeaders(plane.credentials) };
}

/** The sum of a Prometheus counter's samples whose line matches the pattern. */
export async function counterValue(
  wrapper: Pick<WrapperUnderTest, 'url' | 'scrape'>,
  pattern: RegExp,
): Promise<number> {
  const response = await fetch(`${wrapper.url}/metrics`, { headers: wrapper.scrape });
  const text = await response.text();
  // A refused scrape must not read as a count of zero.
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${text}`);
  return text
    .split('\n')
    .filter((line) => pattern.test(line))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}
