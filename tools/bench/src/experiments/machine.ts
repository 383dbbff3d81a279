import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The machine a run measured on, as the report states it. */
export type Machine = {
  cpuModel: string;
  /** Logical CPUs the OS reports (os.availableParallelism). */
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  /** The 1-minute load average when the run started: how busy the machine already was. */
  loadAverage: number;
};

/** Reads the machine from os and /proc (the CPU model from /proc/cpuinfo when os has none). */
export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model?.trim() || cpuinfoModel() || 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

function cpuinfoModel(): string | undefined {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim();
  } catch {
    return undefined;
  }
}
