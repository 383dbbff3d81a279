import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '../../../../..');

// The generated types and schemas must be what tools/openshift/generate-api.mjs makes of
// the pinned openshift/api (fetched into the Go module cache, so this needs Go).
describe('src/generated', () => {
  it('is up to date with tools/services/kubernetes/openshift-api.version', async () => {
    const run = promisify(execFile)(
      process.execPath,
      [path.join(root, 'tools/openshift/generate-api.mjs'), '--check'],
      { cwd: root },
    );
    await expect(run).resolves.toMatchObject({ stderr: '' });
  }, 120_000);
});
