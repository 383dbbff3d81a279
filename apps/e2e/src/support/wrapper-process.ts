import { freePort, startApp, waitFor200, type ServiceProcess } from '@ml-run/process-testing';

export type WrapperProcess = ServiceProcess & { baseUrl: string };

/** Starts the built model-wrapper on a model directory; auth disabled unless env says so. */
export async function startWrapper(
  modelDir: string,
  env: Record<string, string> = {},
): Promise<WrapperProcess> {
  const port = await freePort();
  const service = startApp('model-wrapper', {
    MLRUN_MODEL_DIR: modelDir,
    MLRUN_PORT: String(port),
    MLRUN_AUTH_MODE: 'disabled',
    ...env,
  });
  return { ...service, baseUrl: `http://127.0.0.1:${port}` };
}

/** Polls /readyz until 200 and returns every status seen before (0 = refused). */
export function waitUntilReady(baseUrl: string, timeoutMs = 30_000): Promise<number[]> {
  return waitFor200(`${baseUrl}/readyz`, timeoutMs);
}
