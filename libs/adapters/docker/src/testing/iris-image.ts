// The iris model image of the image targets' int specs (Swarm, Kubernetes): built here so
// a spec needs no builder run before it.
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';

import { registryUnderTest, REPO_ROOT } from '@ml-run/process-testing';

import { DockerImages } from '../lib/docker-images';

// Every file under `dir` with its content, by path relative to it under `prefix` (the
// examples have no symlinks).
async function filesOf(dir: string, prefix: string): Promise<[string, Buffer][]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry): Promise<[string, Buffer]> => {
        const file = path.join(entry.parentPath, entry.name);
        return [`${prefix}/${path.relative(dir, file)}`, await readFile(file)];
      }),
  );
}

/** A model bundle: its directory, or its files as relative path → content. */
export type ModelBundle = string | Record<string, string>;

function modelFiles(model: ModelBundle): Promise<[string, Buffer | string][]> | [string, string][] {
  return typeof model === 'string'
    ? filesOf(model, 'model')
    : Object.entries(model).map(([file, content]) => [`model/${file}`, content]);
}

/** pushedModelImage of examples/iris-python. */
export function pushedIrisImage(docker: Docker, repository: string): Promise<string> {
  return pushedModelImage(docker, repository, path.join(REPO_ROOT, 'examples/iris-python'));
}

/**
 * The base image + the image wrapper (dist/images/model-wrapper: `npm run build`) +
 * the model bundle `model` (no dependencies), as the numeric non-root USER 10001 (Pod Security `restricted`
 * needs a numeric one). Pushed as `ml-run-test/<repository>:latest` with the registry's
 * push credential, answered as repository@digest, and removed from the engine: whoever
 * runs it must pull it from the registry.
 */
export async function pushedModelImage(
  docker: Docker,
  repository: string,
  model: ModelBundle,
): Promise<string> {
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
    ...(await modelFiles(model)),
  ];
  for (const [name, content] of files) tar.entry({ name }, content);
  tar.finalize();
  const images = new DockerImages(docker, access);
  const tag = `${access.address}/ml-run-test/${repository}:latest`;
  const built = await images.build(tar as unknown as NodeJS.ReadableStream, tag);
  const { reference } = await images.push(tag);
  await docker.getImage(built.imageId).remove({ force: true });
  return reference;
}
