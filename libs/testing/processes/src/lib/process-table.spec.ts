import { spawn } from 'node:child_process';
import { once } from 'node:events';

import { childrenOf, descendantsOf, isAlive, isRunning } from './process-table';

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

describe(descendantsOf.name, () => {
  it('lists grandchildren with their command lines, and a zombie as not running', async () => {
    // `exec sleep 60` never waits for its child: killed, `sleep 30` stays a zombie.
    const child = spawn('sh', ['-c', 'sleep 30 & exec sleep 60']);
    let sleeper = descendantsOf(process.pid).find((p) => p.command === 'sleep 30');
    for (let i = 0; i < 100 && sleeper?.ppid !== child.pid; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      sleeper = descendantsOf(process.pid).find((p) => p.command === 'sleep 30');
    }
    expect(sleeper).toMatchObject({ ppid: child.pid, state: expect.stringMatching(/^[RS]/) });
    const pid = sleeper?.pid ?? 0;
    expect(isRunning(pid)).toBe(true);

    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && isRunning(pid); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(isAlive(pid)).toBe(true);
    expect(isRunning(pid)).toBe(false);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(descendantsOf(process.pid).map((p) => p.pid)).not.toContain(child.pid);
  });
});
