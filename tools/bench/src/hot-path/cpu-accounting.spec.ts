import { cpuOverWindow, pidsOf, readCpu, type CpuReading } from './cpu-accounting';

describe('cpuOverWindow', () => {
  const before: CpuReading = [
    { role: 'router', pids: [10], cpuSeconds: 5 },
    { role: 'workers', pids: [11, 12], cpuSeconds: 2 },
  ];
  const after: CpuReading = [
    { role: 'router', pids: [10], cpuSeconds: 6.2 },
    { role: 'workers', pids: [11, 12], cpuSeconds: 3 },
  ];

  it('divides the CPU delta by the answers (µs/request) and by the wall time (cores busy)', () => {
    const [router, workers] = cpuOverWindow(before, after, 10_000, 2);
    expect(router?.cpuSeconds).toBeCloseTo(1.2);
    expect(router?.usPerRequest).toBeCloseTo(120);
    expect(router?.coresBusy).toBeCloseTo(0.6);
    expect(workers?.usPerRequest).toBeCloseTo(100);
    expect(workers?.coresBusy).toBeCloseTo(0.5);
  });

  it('gives no per-request figure for a window with no answers', () => {
    expect(cpuOverWindow(before, after, 0, 2)[0]?.usPerRequest).toBeNaN();
  });

  it('never reports negative CPU (a process gone reads as 0)', () => {
    const gone: CpuReading = [{ role: 'router', pids: [10], cpuSeconds: 0 }];
    expect(cpuOverWindow(before.slice(0, 1), gone, 100, 1)[0]?.cpuSeconds).toBe(0);
  });
});

describe('readCpu and pidsOf', () => {
  it('counts this process as the generator and reads its CPU from /proc', () => {
    const pids = pidsOf([{ name: 'echo', pids: () => [] }]);
    expect(pids).toEqual([
      { name: 'echo', pids: [] },
      { name: 'generator', pids: [process.pid] },
    ]);
    let spin = 0;
    for (let i = 0; i < 2e7; i++) spin += i; // some CPU, so the reading is above zero
    const [echo, generator] = readCpu(pids);
    expect(echo?.cpuSeconds).toBe(0);
    expect(generator?.cpuSeconds ?? 0).toBeGreaterThan(spin > 0 ? 0 : -1);
  });
});
