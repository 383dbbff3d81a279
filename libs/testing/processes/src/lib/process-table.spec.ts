import { spawn } from 'node:child_process';
import { once } from 'node:events';

import { childrenOf, isAlive } from './process-table';

describe(childrenOf.name, () => {
  it('lists the running children of a process, and not after they exit', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(childrenOf(process.pid)).toContainEqual({
      pid: child.pid,
      state: expect.stringMatching(/^[RS]/),
    });
    expect(isAlive(child.pid ?? 0)).toBe(true);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(childrenOf(process.pid).map((c) => c.pid)).not.toContain(child.pid);
    expect(isAlive(child.pid ?? 0)).toBe(false);
  });
});
