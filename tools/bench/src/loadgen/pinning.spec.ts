import { execFileSync, spawn } from 'node:child_process';

import { startFakePlatform, type FakePlatform } from './fake-platform';
import { LoadgenOptionError, pinProcessTree, runPinned } from './index';

const affinity = (pid: number) =>
  execFileSync('taskset', ['-cp', String(pid)], { encoding: 'utf8' })
    .trim()
    .split(' ')
    .pop();

let platform: FakePlatform | undefined;
afterEach(async () => {
  await platform?.close();
  platform = undefined;
});

describe('runPinned', () => {
  it('runs the open loop in a child process pinned to the CPUs and returns its result', async () => {
    platform = await startFakePlatform({ authOff: true });
    const result = await runPinned('0', 'open', {
      url: platform.predictUrl,
      body: 'x',
      rate: 50,
      seconds: 0.5,
    });
    expect(result.counts.sent).toBe(platform.seen.length);
    expect(result.counts.byStatus).toEqual({ '200': result.counts.sent });
    expect(result.generatorCpuSeconds).toBeGreaterThan(0);
  });

  it("passes the child's errors on", async () => {
    const bad = { url: 'http://127.0.0.1:1/', body: '', rate: 0, seconds: 1 };
    await expect(runPinned('0', 'open', bad)).rejects.toThrow(/LOADGEN_BAD_RATE/);
  });

  it('refuses a CPU list taskset would not take', async () => {
    const bad = { url: 'http://127.0.0.1:1/', body: '', rate: 1, seconds: 1 };
    await expect(runPinned('first', 'open', bad)).rejects.toBeInstanceOf(LoadgenOptionError);
  });
});

describe('pinProcessTree', () => {
  it('pins a process and its children', async () => {
    // Its own process group, so the test ends the sleep as well as the shell.
    const parent = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore', detached: true });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const pinned = pinProcessTree(parent.pid ?? 0, '0');
      expect(pinned.length).toBeGreaterThanOrEqual(2);
      for (const pid of pinned) expect(affinity(pid)).toBe('0');
    } finally {
      process.kill(-(parent.pid ?? 0), 'SIGTERM');
    }
  });
});
