import { decideIsolation, planLimits, sandboxReport } from './isolation';
import type { MachineCapabilities } from './machine-capabilities';
import { SandboxErrorCode } from './sandbox.errors';

const everything: MachineCapabilities = {
  sh: '/bin/sh',
  env: '/usr/bin/env',
  bwrap: '/usr/bin/bwrap',
  setpriv: '/usr/bin/setpriv',
  prlimit: '/usr/bin/prlimit',
  canSetUid: true,
  user: { name: 'mlrun-model', uid: 999, gid: 999 },
  cgroups: { version: 'v1', parents: { memory: '/cg/memory', pids: '/cg/pids', cpu: '/cg/cpu' } },
};
const laptop: MachineCapabilities = {
  sh: '/bin/sh',
  env: '/usr/bin/env',
  bwrapProblem: 'bwrap is not installed',
  canSetUid: false,
  prlimit: '/usr/bin/prlimit',
};
const limits = { memoryBytes: 512 * 1024 * 1024, cpus: 0.5, pids: 256 };

describe(decideIsolation.name, () => {
  it('is full with namespaces and the uid change', () => {
    expect(decideIsolation('auto', everything)).toMatchObject({
      level: 'full',
      namespaces: true,
      user: { uid: 999 },
    });
    expect(decideIsolation('full', everything).level).toBe('full');
  });

  it('uses the uid change alone in uid mode', () => {
    expect(decideIsolation('uid', everything)).toMatchObject({
      level: 'partial',
      namespaces: false,
      user: { uid: 999 },
    });
  });

  it('falls to off on a laptop in auto mode, with warnings', () => {
    const isolation = decideIsolation('auto', laptop);
    expect(isolation).toMatchObject({ level: 'off', namespaces: false });
    expect(isolation.warnings.join(' ')).toMatch(
      /bwrap is not installed.*runs as the platform user/,
    );
  });

  it('refuses full or uid when the machine cannot have them, saying what to do', () => {
    for (const mode of ['full', 'uid'] as const) {
      expect(() => decideIsolation(mode, laptop)).toThrow(
        expect.objectContaining({
          code: SandboxErrorCode.SandboxUnavailable,
          message: expect.stringMatching(/tools\/services\/sandbox\/up.sh/),
        }),
      );
    }
    expect(() => decideIsolation('full', { ...everything, user: undefined })).toThrow(
      /mlrun-model does not exist/,
    );
  });

  it('is off when told, whatever the machine has', () => {
    expect(decideIsolation('off', everything)).toMatchObject({ level: 'off', namespaces: false });
  });
});

describe(planLimits.name, () => {
  it('holds every limit with the cgroups it could make', () => {
    const cgroup = { version: 'v1' as const, controllers: ['memory', 'pids', 'cpu'] as const };
    const { reports, rlimits } = planLimits(
      decideIsolation('auto', everything),
      everything,
      limits,
      cgroup,
    );
    expect(reports.memoryBytes).toMatchObject({
      enforced: true,
      by: 'cgroup-v1',
      requested: limits.memoryBytes,
    });
    expect(reports.cpus).toMatchObject({ enforced: true, by: 'cgroup-v1' });
    expect(reports.pids).toMatchObject({ enforced: true, by: 'cgroup-v1' });
    expect(rlimits).toEqual({});
  });

  it('falls back to rlimits without cgroups, and never claims the cpu limit', () => {
    const caps = { ...everything, cgroups: undefined };
    const { reports, rlimits } = planLimits(decideIsolation('uid', caps), caps, limits, undefined);
    expect(reports.memoryBytes).toMatchObject({ enforced: true, by: 'rlimit-as' });
    expect(reports.pids).toMatchObject({ enforced: true, by: 'rlimit-nproc' });
    expect(reports.cpus).toMatchObject({ enforced: false, requested: 0.5 });
    expect(rlimits).toEqual({ addressSpaceBytes: limits.memoryBytes, processes: limits.pids });
  });

  it('claims nothing when off, and the report says which limits are not held', () => {
    const isolation = decideIsolation('off', everything);
    const { reports, rlimits } = planLimits(isolation, everything, limits, undefined);
    expect(Object.values(reports).every((limit) => !limit.enforced)).toBe(true);
    expect(rlimits).toEqual({});
    const report = sandboxReport(isolation, reports);
    expect(report.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^memoryBytes limit not enforced/)]),
    );
  });
});
