export { DockerImages, type BuiltImage, type PushedImage } from './lib/docker-images';
export { DockerError, DockerErrorCode } from './lib/docker.errors';
export { dockerConfigShape, dockerOf } from './lib/docker.config';
export { SwarmDeployer, type SwarmDeployerOptions } from './lib/swarm/swarm-deployer';
export type { PortRange } from './lib/swarm/port-blocks';
