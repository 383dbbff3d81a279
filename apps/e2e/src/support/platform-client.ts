import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Plane } from '@ml-run/process-testing';
import type { DeploymentRequest } from '@ml-run/registry-contract';

/** Where a platform answers: a plane of processes, or an installation in a cluster. */
export type PlatformEndpoints = Pick<Plane, 'builderUrl' | 'routerUrl' | 'deployTarget'>;

/** Typed HTTP calls to a running platform (embedded or cluster), as a given token holder. */
export class PlatformClient {
  constructor(
    private readonly plane: PlatformEndpoints,
    private readonly token: string,
  ) {}

  async upload(zipFile: string | Buffer) {
    const body = typeof zipFile === 'string' ? await readFile(zipFile) : zipFile;
    return this.call('POST', `${this.plane.builderUrl}/v1/models`, body, 'application/zip');
  }

  build(id: string) {
    return this.call('GET', `${this.plane.builderUrl}/v1/builds/${id}`);
  }

  /** Polls a build until it is no longer queued or running. */
  async buildFinished(id: string, timeoutMs = 60_000): Promise<{ state: string; error?: unknown }> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { body } = await this.build(id);
      const build = body as { state: string };
      if (build.state !== 'queued' && build.state !== 'running') return build;
      await sleep(100);
    }
    throw new Error(`build ${id} still running after ${timeoutMs} ms`);
  }

  deploy(name: string, version: string, replicas: number) {
    const url = `${this.plane.builderUrl}/v1/models/${name}/versions/${encodeURIComponent(version)}/deployment`;
    // Typed by the contract: a plane's target the builder does not know fails to compile.
    const request: DeploymentRequest = { target: this.plane.deployTarget, replicas };
    return this.call('POST', url, JSON.stringify(request), 'application/json');
  }

  /** `force`: also the only version the stable alias routes to. */
  undeploy(name: string, version: string, force = false) {
    const url = `${this.plane.builderUrl}/v1/models/${name}/versions/${encodeURIComponent(version)}/deployment${force ? '?force=true' : ''}`;
    return this.call('DELETE', url);
  }

  /** `target`: `{ version }` or `{ versions: [{ version, weight }, ...] }`. */
  setAlias(name: string, alias: string, target: unknown) {
    const url = `${this.plane.builderUrl}/v1/models/${name}/aliases/${alias}`;
    return this.call('PUT', url, JSON.stringify(target), 'application/json');
  }

  models() {
    return this.call('GET', `${this.plane.builderUrl}/v1/models`);
  }

  model(name: string) {
    return this.call('GET', `${this.plane.builderUrl}/v1/models/${name}`);
  }

  /**
   * Predicts once the router knows the model: routers learn of deployments from lifecycle
   * events, at once on the in-process bus, within moments through Kafka.
   */
  // Routers learn of a deployment by reloading the builder's route table on its event: a
  // moment after the deploy answered, they may not route to it yet (404, or 503 while no
  // replica of the version is in their table).
  async predictWhenRouted(name: string, input: string, version?: string, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.predict(name, input, version);
      if ((res.status !== 404 && res.status !== 503) || Date.now() > deadline) return res;
      await sleep(50);
    }
  }

  predict(name: string, input: string, version?: string) {
    const path = version
      ? `/v1/models/${name}/versions/${encodeURIComponent(version)}/predict`
      : `/v1/models/${name}/predict`;
    return this.call('POST', `${this.plane.routerUrl}${path}`, input, 'application/json');
  }

  /** POST .../predict:async; `callback` goes in x-mlrun-callback-url. */
  predictAsync(name: string, input: string, callback?: string) {
    const url = `${this.plane.routerUrl}/v1/models/${name}/predict:async`;
    const extra: Record<string, string> =
      callback === undefined ? {} : { 'x-mlrun-callback-url': callback };
    return this.call('POST', url, input, 'application/json', extra);
  }

  prediction(id: string) {
    return this.call('GET', `${this.plane.routerUrl}/v1/predictions/${encodeURIComponent(id)}`);
  }

  /** Polls GET /v1/predictions/{id} until it is no longer pending. */
  async predictionSettled(id: string, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.prediction(id);
      if (res.body['status'] !== 'pending' || Date.now() > deadline) return res;
      await sleep(50);
    }
  }

  private async call(
    method: string,
    url: string,
    body?: string | Buffer,
    contentType?: string,
    extraHeaders: Record<string, string> = {},
  ) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      ...extraHeaders,
    };
    if (contentType) headers['content-type'] = contentType;
    // A Buffer is a Uint8Array view; the DOM lib (the console's, same program) types fetch
    // bodies as views of a plain ArrayBuffer, which a Buffer from readFile is.
    const response = await fetch(url, {
      method,
      headers,
      body: body as string | Uint8Array<ArrayBuffer> | undefined,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as Record<string, unknown> };
  }
}
