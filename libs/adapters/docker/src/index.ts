export { DockerImages, repositoryOf, type BuiltImage, type PushedImage } from './lib/docker-images';
export { DockerError, DockerErrorCode } from './lib/docker.errors';
export { dockerConfigShape, dockerOf } from './lib/docker.config';
export { followDockerStream, type DockerMessage, type DockerOutcome } from './lib/docker-progress';
export { SwarmDeployer, type SwarmDeployerOptions } from './lib/swarm/swarm-deployer';
export { DEFAULT_PORT_RANGE, freePortBlock, type PortRange } from './lib/swarm/port-blocks';
export { serviceNameOf, serviceSpecOf, SWARM_LABELS } from './lib/swarm/swarm-service-spec';
