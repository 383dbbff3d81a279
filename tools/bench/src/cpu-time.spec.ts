import { cpuTicksOf, processCpuSeconds } from './cpu-time';

describe('cpuTicksOf', () => {
  it('adds utime and stime, even when the command name holds spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    const stat = '4242 (node (worker) 1) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11';
    expect(cpuTicksOf(stat)).toBe(325);
  });
});

describe('processCpuSeconds', () => {
  it('reads a running process and counts a missing one as 0', () => {
    const own = processCpuSeconds([process.pid]);
    expect(own).toBeGreaterThan(0);
    expect(processCpuSeconds([process.pid, 2 ** 22 + 7])).toBeGreaterThanOrEqual(own);
  });
});
