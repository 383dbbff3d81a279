import { Readable } from 'node:stream';
import type Docker from 'dockerode';

import { DockerImages } from './docker-images';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const PUSH = { username: 'mlrun-push', password: 'push-secret' };
const PULL = { username: 'mlrun-pull', password: 'pull-secret' };
// Nothing listens on port 1: the push-size report is left out, the push still counts.
const REGISTRY = '127.0.0.1:1';

// An engine that records what each push and build was given.
function engine() {
  const pushes: { authconfig?: unknown }[] = [];
  const builds: { registryconfig?: unknown }[] = [];
  const stream = (message: object) => Readable.from([`${JSON.stringify(message)}\n`]);
  const docker = {
    getImage: () => ({
      push: async (options: { authconfig?: unknown }) => {
        pushes.push(options);
        return stream({ aux: { Digest: DIGEST, Size: 1 } });
      },
      inspect: async () => ({ RootFS: { Layers: [] } }),
    }),
    buildImage: async (_context: unknown, options: { registryconfig?: unknown }) => {
      builds.push(options);
      return stream({ aux: { ID: 'sha256:b' } });
    },
  } as unknown as Docker;
  return { docker, pushes, builds };
}

describe(DockerImages.name, () => {
  it('pushes with the push credential, to the registry it is for', async () => {
    const { docker, pushes } = engine();
    const sut = new DockerImages(docker, { address: REGISTRY, push: PUSH, pull: PULL });
    await sut.push(`${REGISTRY}/ml-run/iris:v1`);
    expect(pushes[0]?.authconfig).toEqual({ ...PUSH, serveraddress: REGISTRY });
  });

  it('never sends a credential to another registry a tag names', async () => {
    const { docker, pushes } = engine();
    const sut = new DockerImages(docker, { address: REGISTRY, push: PUSH });
    await sut.push('127.0.0.2:1/ml-run/iris:v1');
    expect(pushes[0]?.authconfig).toEqual({ serveraddress: '127.0.0.2:1' });
  });

  it('builds with the pull credential, so a missing base image can be pulled', async () => {
    const { docker, builds } = engine();
    const sut = new DockerImages(docker, { address: REGISTRY, push: PUSH, pull: PULL });
    await sut.build(Readable.from([]), `${REGISTRY}/ml-run/iris:v1`);
    expect(builds[0]?.registryconfig).toEqual({ [REGISTRY]: PULL });
    const anonymous = engine();
    await new DockerImages(anonymous.docker).build(Readable.from([]), 'x:v1');
    expect(anonymous.builds[0]?.registryconfig).toBeUndefined();
  });
});
