// MLRUN_WORKER_SOCKET: the wrapper's workers run in the model's own container of the pod,
// started by the worker host listening on that socket (the openshift target). The wrapper
// keeps its pool, timeouts and respawns; only where the process runs changes. What
// isolates model code is the container boundary: its own process namespace and
// environment, no platform secret, the limits its deployer set on that container.
import type {
  LimitReport,
  ModelProcessLauncher,
  SandboxLimits,
  SandboxReport,
} from '@ml-run/sandbox';

import { remoteWorker } from './remote-worker';

export type SocketLauncherOptions = {
  socketPath: string;
  limits: SandboxLimits;
  /** See RemoteWorkerOptions. */
  connectTimeoutMs?: number;
};

function containerReport(limits: SandboxLimits): SandboxReport {
  const byContainer = (requested: number | undefined): LimitReport =>
    requested === undefined
      ? { enforced: false }
      : {
          requested,
          enforced: true,
          by: 'container',
          note: "the model container's limits, set by its deployer",
        };
  return {
    mode: 'off',
    level: 'container',
    namespaces: true,
    limits: {
      memoryBytes: byContainer(limits.memoryBytes),
      cpus: byContainer(limits.cpus),
      pids: { enforced: false },
    },
    warnings: [
      "workers run in the pod's model container (no platform secret, own process namespace), as the wrapper's uid",
    ],
  };
}

export function socketLauncher(options: SocketLauncherOptions): ModelProcessLauncher {
  const report = containerReport(options.limits);
  let oomKills = 0;
  return {
    spawn: (spec) =>
      remoteWorker(
        {
          command: spec.command,
          args: [...spec.args],
          env: { ...spec.env },
          cwd: spec.cwd ?? '/',
          stdio: [...(spec.stdio ?? ['pipe', 'pipe', 'pipe'])],
        },
        {
          socketPath: options.socketPath,
          connectTimeoutMs: options.connectTimeoutMs,
          onOomKills: (count) => (oomKills = Math.max(oomKills, count)),
        },
      ),
    visiblePath: (bind) => bind.source,
    report: () => report,
    oomKills: () => Promise.resolve(oomKills),
    close: () => Promise.resolve(),
  };
}
