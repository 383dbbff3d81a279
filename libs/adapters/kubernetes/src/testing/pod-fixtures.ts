import type { V1ContainerStatus, V1EndpointSlice, V1Pod } from '@kubernetes/client-node';

// Pods and EndpointSlices as the watch delivers them, for the specs.
export const VERSION = { name: 'iris', version: '1.0.0' };
export const IMAGE = `127.0.0.1:5000/ml-run/iris@sha256:${'0'.repeat(64)}`;

export function pod(
  name: string,
  ip: string | undefined,
  container: Partial<V1ContainerStatus> = {},
) {
  return {
    metadata: { name },
    status: {
      phase: 'Running',
      ...(ip ? { podIP: ip } : {}),
      containerStatuses: [
        {
          name: 'model-wrapper',
          image: IMAGE,
          imageID: '',
          ready: false,
          restartCount: 0,
          ...container,
        },
      ],
    },
  } as V1Pod;
}

export function slice(endpoints: [pod: string, ip: string, ready: boolean][]): V1EndpointSlice {
  return {
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 9000 }],
    endpoints: endpoints.map(([name, ip, ready]) => ({
      addresses: [ip],
      conditions: { ready },
      targetRef: { kind: 'Pod', name },
    })),
  };
}
