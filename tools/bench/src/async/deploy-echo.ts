import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZipFile } from 'yazl';

import { REPO_ROOT } from '@ml-run/process-testing';

const ECHO_DIR = path.join(REPO_ROOT, 'examples/echo-node');

type Plane = { builderUrl: string; routerUrl: string };

/**
 * Uploads examples/echo-node to the plane's builder, deploys it with `replicas` and waits
 * until the router predicts with it: the async and sync paths then reach the same replicas.
 */
export async function deployEcho(plane: Plane, token: string, replicas: number): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  const upload = await json(
    await fetch(`${plane.builderUrl}/v1/models`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/zip' },
      body: await zipDir(ECHO_DIR),
    }),
  );
  const { version, buildId } = upload as { version: string; buildId: string };
  for (;;) {
    const build = (await json(
      await fetch(`${plane.builderUrl}/v1/builds/${buildId}`, { headers: auth }),
    )) as {
      state: string;
    };
    if (build.state === 'succeeded') break;
    if (build.state !== 'queued' && build.state !== 'running')
      throw new Error(`build ${build.state}`);
    await sleep(200);
  }
  const deployment = `${plane.builderUrl}/v1/models/echo/versions/${encodeURIComponent(version)}/deployment`;
  await json(
    await fetch(deployment, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'process', replicas }),
    }),
  );
  for (;;) {
    const answer = await fetch(`${plane.routerUrl}/v1/models/echo/predict`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/plain' },
      body: 'hello',
    });
    await answer.text();
    if (answer.status === 200) return;
    await sleep(100);
  }
}

async function json(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

async function zipDir(dir: string): Promise<Uint8Array<ArrayBuffer>> {
  const zip = new ZipFile();
  for (const entry of await listFiles(dir)) {
    zip.addBuffer(await readFile(path.join(dir, entry)), entry, { mtime: new Date(0) });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const name of await readdir(path.join(dir, prefix))) {
    if (name === 'tests' || name === 'README.md') continue;
    const relative = prefix ? `${prefix}/${name}` : name;
    if ((await stat(path.join(dir, relative))).isDirectory()) {
      files.push(...(await listFiles(dir, relative)));
    } else files.push(relative);
  }
  return files.sort();
}
