import type Docker from 'dockerode';

import type { DeploymentSpec } from '@ml-run/deployer';
import { cpuCount, memoryBytes } from '@ml-run/model-contract';
import type { ReplicaLimits } from '@ml-run/registry-contract';

/** Which limits the engine's cgroups can enforce (docker info), and why not. */
export type EngineLimitSupport = { memory: boolean; cpu: boolean; pids: boolean; why: string };

/** The limits put in a service's spec, and what the deployment record may claim. */
export type PlannedLimits = { spec: Docker.ResourceLimits; record: ReplicaLimits };

const NANOS_PER_CPU = 1_000_000_000;
// Docker refuses NanoCPUs below 0.01 CPU.
const MIN_NANO_CPUS = 10_000_000;
/** A manifest CPU quantity in nano CPUs, rounded up (`500m` is 5e8). */
function nanoCpusOf(quantity: string): number {
  return Math.ceil(cpuCount(quantity) * NANOS_PER_CPU);
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
      spec.MemoryBytes = memoryBytes(resources.memory);
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
