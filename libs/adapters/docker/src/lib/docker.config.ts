import Docker from 'dockerode';

import { stringVar } from '@ml-run/config';

const DOCKER_HOST = /^(unix:\/\/\/\S+|tcp:\/\/127\.0\.0\.1:\d{1,5})$/;

/** Where images are built and pushed (swarm target); unset: no images (process target only). */
export const dockerConfigShape = {
  /** The engine's socket, `unix:///…` (or `tcp://127.0.0.1:<port>`). */
  MLRUN_DOCKER_HOST: stringVar({
    pattern: DOCKER_HOST,
    hint: 'must be unix:///path/to/docker.sock or tcp://127.0.0.1:<port>',
  }).optional(),
  /** The registry images are pushed to, as host:port. */
  MLRUN_REGISTRY: stringVar({
    default: '127.0.0.1:5000',
    pattern: /^[A-Za-z0-9.-]+(:\d{1,5})?$/,
    hint: 'must be host:port, e.g. 127.0.0.1:5000',
  }),
};

/** A dockerode client for the configured engine, or undefined when none is configured. */
export function dockerOf(config: { MLRUN_DOCKER_HOST?: string }): Docker | undefined {
  const host = config.MLRUN_DOCKER_HOST;
  if (host === undefined) return undefined;
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host);
  return new Docker({ host: url.hostname, port: Number(url.port), protocol: 'http' });
}
