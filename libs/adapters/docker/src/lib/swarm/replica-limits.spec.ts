import { engineLimitSupport, limitsOfSpec, plannedLimits } from './replica-limits';

const ALL = engineLimitSupport({
  MemoryLimit: true,
  CpuCfsQuota: true,
  PidsLimit: true,
  CgroupDriver: 'cgroupfs',
  CgroupVersion: '1',
});

describe(plannedLimits.name, () => {
  const resources = { cpu: '500m', memory: '256Mi' };

  it('limits cpu, memory and pids where the engine enforces them', () => {
    expect(plannedLimits(resources, 512, { support: ALL, cpus: 2 })).toEqual({
      spec: { MemoryBytes: 256 * 2 ** 20, NanoCPUs: 5e8, Pids: 512 },
      record: { cpu: '500m', memoryBytes: 256 * 2 ** 20, pids: 512, notEnforced: [] },
    });
  });

  it("keeps the CPU limit between Docker's floor and the engine's CPUs", () => {
    expect(
      plannedLimits({ ...resources, cpu: '1m' }, 512, { support: ALL, cpus: 2 }).record.cpu,
    ).toBe('10m');
    expect(plannedLimits({ ...resources, cpu: '8' }, 512, { support: ALL, cpus: 2 })).toMatchObject(
      {
        spec: { NanoCPUs: 2e9 },
        record: { cpu: '2000m' },
      },
    );
  });

  it('claims no memory limit when the engine has no memory cgroup, and says why', () => {
    const noMemory = engineLimitSupport({
      MemoryLimit: false,
      CpuCfsQuota: true,
      PidsLimit: true,
      CgroupDriver: 'cgroupfs',
      CgroupVersion: '1',
    });
    const sut = plannedLimits(resources, 512, { support: noMemory, cpus: 2 });
    expect(sut.spec.MemoryBytes).toBeUndefined();
    expect(sut.record.memoryBytes).toBeUndefined();
    expect(sut.record.notEnforced).toEqual([
      'memory 256Mi: this Docker engine cannot enforce it (docker info: cgroup v1 (cgroupfs driver))',
    ]);
    // The control: the same engine with its memory cgroup does set it.
    expect(plannedLimits(resources, 512, { support: ALL, cpus: 2 }).record.memoryBytes).toBe(
      256 * 2 ** 20,
    );
  });

  it('names every limit an engine without cgroups cannot enforce', () => {
    const none = engineLimitSupport({});
    const sut = plannedLimits(resources, 64, { support: none, cpus: 2 });
    expect(sut.spec).toEqual({});
    expect(sut.record.notEnforced.map((line) => line.split(':')[0])).toEqual([
      'memory 256Mi',
      'cpu 500m',
      'pids 64',
    ]);
  });

  it('sets only the pids limit without resources', () => {
    expect(plannedLimits(undefined, 100, { support: ALL, cpus: 2 })).toEqual({
      spec: { Pids: 100 },
      record: { pids: 100, notEnforced: [] },
    });
  });
});

describe(limitsOfSpec.name, () => {
  it("reads an adopted service's limits back", () => {
    expect(limitsOfSpec({ MemoryBytes: 2 ** 28, NanoCPUs: 5e8, Pids: 512 })).toEqual({
      cpu: '500m',
      memoryBytes: 2 ** 28,
      pids: 512,
      notEnforced: [],
    });
    expect(limitsOfSpec(undefined)).toEqual({ notEnforced: [] });
  });
});
