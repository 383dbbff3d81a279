import { spawn } from 'node:child_process';
import { once } from 'node:events';

import { freePort, waitFor200 } from './service-process';

describe(waitFor200.name, () => {
  it('fails at once, saying so, when the app exits before answering', async () => {
    const url = `http://127.0.0.1:${await freePort()}/readyz`;
    const child = spawn(process.execPath, ['-e', 'process.exit(3)']);
    await once(child, 'exit');
    const began = Date.now();
    await expect(waitFor200(url, 20_000, { process: child })).rejects.toThrow(
      `${url}: the app exited with code 3 before answering 200; statuses seen: 0`,
    );
    expect(Date.now() - began).toBeLessThan(4_000);
  });

  it('names the signal that ended the app', async () => {
    const url = `http://127.0.0.1:${await freePort()}/readyz`;
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    child.kill('SIGKILL');
    await once(child, 'exit');
    await expect(waitFor200(url, 20_000, { process: child })).rejects.toThrow(
      'the app was killed by SIGKILL',
    );
  });

  it("quotes the end of the app's stderr, which says why it exited", async () => {
    const url = `http://127.0.0.1:${await freePort()}/readyz`;
    const child = spawn(process.execPath, [
      '-e',
      'console.error("MLRUN_X is not set"); process.exit(1)',
    ]);
    await once(child, 'exit');
    await expect(
      waitFor200(url, 20_000, { process: child, stderr: () => 'line one\nMLRUN_X is not set\n' }),
    ).rejects.toThrow(/exited with code 1[^]*stderr ends with:\nline one\nMLRUN_X is not set$/);
  });
});
