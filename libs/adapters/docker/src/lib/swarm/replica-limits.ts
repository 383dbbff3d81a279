import type Docker from 'dockerode';

import type { DeploymentSpec } from '@ml-run/deployer';
import type { ReplicaLimits } from '@ml-run/registry-contract';

/** Which limits the engine's cgroups can enforce (docker info), and why not. */
export type EngineLimitSupport = { memory: boolean; cpu: boolean; pids: boolean; why: string };

/** The limits put in a service's spec, and what the deployment record may claim. */
export type PlannedLimits = { spec: Docker.ResourceLimits; record: ReplicaLimits };

const NANOS_PER_CPU = 1_000_000_000;
// Docker refuses NanoCPUs below 0.01 CPU.
const MIN_NANO_CPUS = 10_000_000;
const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const MEMORY = /^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const CPU = /^(?:([0-9]+)m|([0-9]+(?:\.[0-9]+)?|\.[0-9]+))$/;

/** A Kubernetes memory quantity (manifest `resources.memory`) in bytes, rounded up. */
export function memoryBytesOf(quantity: string): number {
  const match = MEMORY.exec(quantity);
  if (!match)
    throw new RangeError(`resources.memory ${JSON.stringify(quantity)} is not a quantity`);
  const unit = match[2];
  const factor = unit === undefined ? 1 : (BINARY[unit] ?? DECIMAL[unit] ?? 1);
  return Math.ceil(Number(match[1]) * factor);
}

/** A Kubernetes CPU quantity (manifest `resources.cpu`) in nano CPUs, rounded up. */
export function nanoCpusOf(quantity: string): number {
  const match = CPU.exec(quantity);
  if (!match) throw new RangeError(`resources.cpu ${JSON.stringify(quantity)} is not a quantity`);
  if (match[1] !== undefined) return Number(match[1]) * 1_000_000;
  return Math.ceil(Number(match[2]) * NANOS_PER_CPU);
}

function cpuQuantityOf(nanoCpus: number): string {
  return `${Math.ceil(nanoCpus / 1_000_000)}m`;
}

/** What the engine's `docker info` says it can limit. */
export function engineLimitSupport(info: {
  MemoryLimit?: boolean;
  CpuCfsQuota?: boolean;
  PidsLimit?: boolean;
  CgroupDriver?: string;
  CgroupVersion?: string;
}): EngineLimitSupport {
  return {
    memory: info.MemoryLimit === true,
    cpu: info.CpuCfsQuota === true,
    pids: info.PidsLimit === true,
    why: `docker info: cgroup v${info.CgroupVersion ?? '?'} (${info.CgroupDriver ?? '?'} driver)`,
  };
}

/**
 * The limits of each replica: the manifest's cpu and memory, and `pids`; each only where
 * the engine enforces it (else Docker drops it with a warning no one reads). The CPU limit
 * is kept between 0.01 CPU (Docker's floor) and the engine's CPUs (Docker refuses more).
 */
export function plannedLimits(
  resources: DeploymentSpec['resources'],
  pids: number,
  { support, cpus: engineCpus }: { support: EngineLimitSupport; cpus: number },
): PlannedLimits {
  const spec: Docker.ResourceLimits = {};
  const record: ReplicaLimits = { notEnforced: [] };
  const skip = (what: string) =>
    record.notEnforced.push(`${what}: this Docker engine cannot enforce it (${support.why})`);
  if (resources !== undefined) {
    if (support.memory) {
      spec.MemoryBytes = memoryBytesOf(resources.memory);
      record.memoryBytes = spec.MemoryBytes;
    } else skip(`memory ${resources.memory}`);
    if (support.cpu) {
      const wanted = nanoCpusOf(resources.cpu);
      spec.NanoCPUs = Math.min(Math.max(wanted, MIN_NANO_CPUS), engineCpus * NANOS_PER_CPU);
      record.cpu = cpuQuantityOf(spec.NanoCPUs);
    } else skip(`cpu ${resources.cpu}`);
  }
  if (support.pids) {
    spec.Pids = pids;
    record.pids = pids;
  } else skip(`pids ${pids}`);
  return { spec, record };
}

/** The record's view of a service found on the Swarm (adopted): its spec's limits. */
export function limitsOfSpec(limits: Docker.ResourceLimits | undefined): ReplicaLimits {
  return {
    ...(limits?.NanoCPUs ? { cpu: cpuQuantityOf(limits.NanoCPUs) } : {}),
    ...(limits?.MemoryBytes ? { memoryBytes: limits.MemoryBytes } : {}),
    ...(limits?.Pids ? { pids: limits.Pids } : {}),
    notEnforced: [],
  };
}
