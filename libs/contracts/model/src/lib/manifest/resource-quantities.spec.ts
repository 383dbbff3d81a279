import { cpuCount, memoryBytes } from './resource-quantities';

describe(memoryBytes.name, () => {
  it('reads binary and decimal suffixes and plain bytes', () => {
    expect(memoryBytes('512Mi')).toBe(512 * 1024 * 1024);
    expect(memoryBytes('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(memoryBytes('1G')).toBe(1e9);
    expect(memoryBytes('2048')).toBe(2048);
    expect(memoryBytes('100k')).toBe(100_000);
    expect(memoryBytes('.5Ki')).toBe(512);
  });

  it('refuses an unknown suffix', () => {
    expect(() => memoryBytes('1GB')).toThrow(RangeError);
  });
});

describe(cpuCount.name, () => {
  it('reads millicores, whole and fractional CPUs', () => {
    expect(cpuCount('500m')).toBe(0.5);
    expect(cpuCount('2')).toBe(2);
    expect(cpuCount(0.25)).toBe(0.25);
    expect(cpuCount('.5')).toBe(0.5);
    expect(cpuCount('1m')).toBe(0.001);
  });

  it('refuses zero and junk', () => {
    expect(() => cpuCount('0')).toThrow(RangeError);
    expect(() => cpuCount('lots')).toThrow(RangeError);
  });
});
