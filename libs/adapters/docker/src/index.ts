export { DockerImages, type BuiltImage, type PushedImage } from './lib/docker-images';
export { DockerError, DockerErrorCode } from './lib/docker.errors';
export { dockerConfigShape, dockerOf, registryAccessOf } from './lib/docker.config';
export {
  registryRequest,
  type RegistryAccess,
  type RegistryCredential,
} from './lib/registry/registry-access';
export { SwarmDeployer, type SwarmDeployerOptions } from './lib/swarm/swarm-deployer';
export type { PortRange } from './lib/swarm/port-blocks';
