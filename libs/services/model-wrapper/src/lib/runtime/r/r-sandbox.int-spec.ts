// R workers in the real sandbox of this machine (bwrap, setpriv, cgroups:
// tools/services/sandbox/up.sh) and R from Debian (tools/services/r/up.sh).
import path from 'node:path';

import { readManifestFile } from '@ml-run/model-contract';

import { REPO_ROOT } from '../../../testing/start-test-wrapper';
import { modelSandbox } from '../model-sandbox';
import type { WorkerPool } from '../worker/worker-pool';
import { sandboxedRRuntime } from './r-runtime';

const IRIS_R = path.join(REPO_ROOT, 'examples/iris-r');
const SETOSA_OUTPUT =
  '{"class":"setosa","classIndex":0,"probabilities":{"setosa":0.997254,"versicolor":0.002746,"virginica":0.0}}';

describe('R runtime in the sandbox', () => {
  let pool: WorkerPool | undefined;
  afterEach(() => pool?.stop());

  it('serves examples/iris-r as the model uid, with /tmp writable for R', async () => {
    const manifest = await readManifestFile(IRIS_R);
    // The wrapper's own choice: namespaces and the model uid where this machine has them.
    const launcher = await modelSandbox('auto', manifest);
    pool = await sandboxedRRuntime({
      modelDir: IRIS_R,
      entry: 'model.R',
      coefficientsDir: path.join(IRIS_R, 'coefficients'),
      config: {},
      initTimeoutMs: 30_000,
      workers: 1,
      launcher,
      requirements: manifest.r,
    });
    await pool.start();
    expect(pool.sandbox().level).toBe('full');
    await expect(pool.predict('{"features":[5.1,3.5,1.4,0.2]}')).resolves.toBe(SETOSA_OUTPUT);
  });
});
