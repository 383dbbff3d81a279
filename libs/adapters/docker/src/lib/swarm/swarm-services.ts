import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';

import type { DockerAuthConfig } from '../registry/registry-access';
import { PORT_BLOCK_SIZE } from './port-blocks';
import { engineLimitSupport, type EngineLimitSupport } from './replica-limits';
import { portBaseOf, SWARM_LABELS } from './swarm-service-spec';
import type { SwarmTask } from './swarm-tasks';

const SERVICE_ID_LABEL = 'com.docker.swarm.service.id';
// Swarm stops a task's container within its 10 s grace period; far past that, one is stuck.
const REMOVE_TIMEOUT_MS = 60_000;

/** The few Swarm calls the deployer makes, over dockerode. */
export class SwarmServices {
  /**
   * `registryAuth`: the pull credential, sent with every create and update
   * (X-Registry-Auth); Swarm keeps it with the service and every node pulls with it.
   */
  constructor(
    private readonly docker: Docker,
    private readonly registryAuth?: DockerAuthConfig,
  ) {}

  /** Which limits the engine can enforce, and its CPU count (asked anew each time). */
  async engine(): Promise<{ support: EngineLimitSupport; cpus: number }> {
    const info = (await this.docker.info()) as Parameters<typeof engineLimitSupport>[0] & {
      NCPU?: number;
    };
    return { support: engineLimitSupport(info), cpus: info.NCPU ?? 1 };
  }

  /** The services ML-RUN manages on this Swarm: of one namespace, or of all (port blocks). */
  managed(namespace?: string): Promise<Docker.Service[]> {
    const label = [`${SWARM_LABELS.managed}=true`];
    if (namespace !== undefined) label.push(`${SWARM_LABELS.namespace}=${namespace}`);
    return this.docker.listServices({ filters: { label } });
  }

  /**
   * Another managed service whose ports overlap the block at `base` and that was created
   * before `serviceId` (ties broken by id), if any: that one keeps the block. Every
   * builder decides the same way, so exactly one of two racing services stays.
   */
  async earlierClaim(serviceId: string, base: number): Promise<Docker.Service | undefined> {
    const services = await this.managed();
    const mine = services.find((service) => service.ID === serviceId);
    return services.find((service) => {
      const other = portBaseOf(service.Spec);
      if (service.ID === serviceId || other === undefined) return false;
      if (Math.abs(other - base) >= PORT_BLOCK_SIZE) return false;
      return mine === undefined || createdBefore(service, mine);
    });
  }

  /** The service of that exact name (Swarm's name filter matches prefixes). */
  async find(serviceName: string): Promise<Docker.Service | undefined> {
    const found = await this.docker.listServices({ filters: { name: [serviceName] } });
    return found.find((service) => service.Spec?.Name === serviceName);
  }

  async create(spec: Docker.ServiceSpec): Promise<string> {
    // (auth, spec): given the spec alone, dockerode sends the spec itself as X-Registry-Auth.
    const created = await this.docker.createService(this.registryAuth ?? {}, spec);
    return created.id;
  }

  /** Swarm takes an update only with the current Version.Index and the full spec. */
  async setReplicas(serviceId: string, replicas: number): Promise<void> {
    const service = this.docker.getService(serviceId);
    const current = (await service.inspect()) as Docker.Service;
    const spec = { ...current.Spec, Mode: { Replicated: { Replicas: replicas } } };
    // The current pull credential again: one rotated since the create reaches Swarm too.
    await service.update({
      ...(this.registryAuth && { authconfig: this.registryAuth }),
      _query: { version: current.Version?.Index },
      _body: spec,
    });
  }

  async tasks(serviceId: string): Promise<SwarmTask[]> {
    return (await this.docker.listTasks({ filters: { service: [serviceId] } })) as SwarmTask[];
  }

  /** The last lines the service's containers wrote (stdout and stderr, demultiplexed). */
  async lastLines(serviceId: string, count: number): Promise<string[]> {
    const service = this.docker.getService(serviceId) as unknown as {
      logs(options: object): Promise<Buffer>;
    };
    const raw = await service.logs({ stdout: true, stderr: true, tail: count });
    return demultiplex(raw)
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-count);
  }

  /** Removes the service and waits until its containers are gone (their ports free). */
  async remove(serviceId: string, pollMs: number, timeoutMs = REMOVE_TIMEOUT_MS): Promise<void> {
    await this.docker
      .getService(serviceId)
      .remove()
      .catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    const filters = { label: [`${SERVICE_ID_LABEL}=${serviceId}`] };
    const deadline = Date.now() + timeoutMs;
    while ((await this.docker.listContainers({ filters })).length > 0) {
      if (Date.now() > deadline) {
        throw new Error(
          `service ${serviceId} is removed, but its containers still run after ${timeoutMs / 1000} s ` +
            '(their ports stay taken): check the Docker engine (docker ps) and stop them',
        );
      }
      await sleep(pollMs);
    }
  }
}

// CreatedAt is RFC 3339 with up to 9 fraction digits and trailing zeros dropped, so
// compare it as (seconds, nanoseconds), not as text.
export function createdBefore(a: Docker.Service, b: Docker.Service): boolean {
  const [aTime, bTime] = [timeOf(a.CreatedAt), timeOf(b.CreatedAt)];
  if (aTime[0] !== bTime[0]) return aTime[0] < bTime[0];
  if (aTime[1] !== bTime[1]) return aTime[1] < bTime[1];
  return a.ID < b.ID;
}

function timeOf(createdAt: string | undefined): [number, number] {
  const match = /^(.*?)(?:\.(\d+))?Z$/.exec(createdAt ?? '');
  if (!match) return [Number.MAX_SAFE_INTEGER, 0];
  const seconds = Date.parse(`${match[1]}Z`) / 1000;
  const nanos = Number((match[2] ?? '').padEnd(9, '0').slice(0, 9));
  return [seconds, nanos];
}

function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number } | undefined)?.statusCode === 404;
}

// Docker frames each chunk with 8 bytes: stream, 3 zero bytes, big-endian length.
function demultiplex(raw: Buffer): string {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const length = raw.readUInt32BE(offset + 4);
    chunks.push(raw.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(chunks).toString('utf8');
}
