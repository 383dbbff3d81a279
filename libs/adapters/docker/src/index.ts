export { DockerImages, repositoryOf, type BuiltImage, type PushedImage } from './lib/docker-images';
export { DockerError, DockerErrorCode } from './lib/docker.errors';
export { dockerConfigShape, dockerOf } from './lib/docker.config';
export { followDockerStream, type DockerMessage, type DockerOutcome } from './lib/docker-progress';
