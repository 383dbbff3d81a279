// How a SwarmDeployer is set up (MLRUN_SWARM_* and the registry's pull credential).
import type { ReadinessProbe } from '@ml-run/deployer';

import type { RegistryAccess } from '../registry/registry-access';
import type { PortRange } from './port-blocks';

export type SwarmDeployerOptions = {
  /**
   * The installation's name (MLRUN_REGISTRY_NAMESPACE, default `default`): it is in every
   * service's name and labels, and adopt() takes over only its own services.
   */
  namespace?: string;
  /** Ports for replicas; one block of 100 per deployment (default 21000–29999). */
  portRange?: PortRange;
  /** Poll of tasks and /readyz while watching (default 1000). */
  pollIntervalMs?: number;
  /** Poll while a deploy, scale or undeploy waits (default 250). */
  waitIntervalMs?: number;
  probeTimeoutMs?: number;
  /** For services found on the Swarm, deployed by an earlier run (default 120000). */
  adoptedReadyTimeoutMs?: number;
  /** Processes and threads each replica may run at once (default 512). */
  pidsLimit?: number;
  probe?: ReadinessProbe;
  /**
   * The image registry and its pull credential: Swarm gets it with each service, so any
   * node can pull the image. Unset or without `pull`: nodes pull anonymously.
   */
  registry?: Pick<RegistryAccess, 'address' | 'pull'>;
};
