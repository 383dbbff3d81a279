// The iris model image of the image targets' int specs (Swarm, Kubernetes): built here so
// a spec needs no builder run before it.
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';

import { registryUnderTest, REPO_ROOT } from '@ml-run/process-testing';

import { DockerImages } from '../lib/docker-images';

// Every file under `dir`, by path relative to it (the examples have no symlinks).
async function filesOf(dir: string, prefix: string): Promise<[string, string][]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return [`${prefix}/${path.relative(dir, file)}`, file] as [string, string];
    });
}

/**
 * The base image + the image wrapper (dist/images/model-wrapper: `npm run build`) +
 * examples/iris-python, as the numeric non-root USER 10001 (Pod Security `restricted`
 * needs a numeric one). Pushed as `ml-run-test/<repository>:latest` with the registry's
 * push credential, answered as repository@digest, and removed from the engine: whoever
 * runs it must pull it from the registry.
 */
export async function pushedIrisImage(docker: Docker, repository: string): Promise<string> {
  const access = registryUnderTest();
  const base = execFileSync(path.join(REPO_ROOT, 'tools/images/build-base.sh'), ['--print-tag'])
    .toString()
    .trim();
  const tar = pack();
  tar.entry(
    { name: 'Dockerfile' },
    `FROM ${base}\nCOPY wrapper/ /opt/ml-run/wrapper/\nCOPY model/ /opt/ml-run/model/\n` +
      'ENV MLRUN_MODEL_DIR=/opt/ml-run/model MLRUN_HOST=127.0.0.1\nUSER 10001\n' +
      'CMD ["node", "/opt/ml-run/wrapper/main.js"]\n',
  );
  const files = [
    ...(await filesOf(path.join(REPO_ROOT, 'dist/images/model-wrapper'), 'wrapper')),
    ...(await filesOf(path.join(REPO_ROOT, 'examples/iris-python'), 'model')),
  ];
  for (const [name, file] of files) tar.entry({ name }, await readFile(file));
  tar.finalize();
  const images = new DockerImages(docker, access);
  const tag = `${access.address}/ml-run-test/${repository}:latest`;
  const built = await images.build(tar as unknown as NodeJS.ReadableStream, tag);
  const { reference } = await images.push(tag);
  await docker.getImage(built.imageId).remove({ force: true });
  return reference;
}
