import type {
  BuildProgressEvent,
  BuildRecord,
  DeploymentRecord,
  DeploymentRequest,
  ModelListResponse,
  ModelRecord,
  ModelVersionRecord,
  SetAliasRequest,
  UploadResponse,
} from '@ml-run/registry-contract';

import { readSse } from './read-sse';
import { segment, send, sendJson, type ServiceEndpoint } from './service-endpoint';
import { uploadBody } from './upload-body';

const versionPath = (name: string, version: string) =>
  `/v1/models/${segment(name)}/versions/${segment(version)}`;

/** Typed calls to the builder's /v1 API (the model registry). */
export class BuilderClient {
  constructor(private readonly endpoint: ServiceEndpoint) {}

  get baseUrl(): string {
    return this.endpoint.baseUrl;
  }

  /**
   * Streams a zip from disk as `application/zip`; `onBytes` sees the bytes sent so far.
   * `ownerGroups`: for a new model, the groups that own it with you.
   */
  async upload(
    zipPath: string,
    onBytes: (sent: number) => void,
    ownerGroups: readonly string[] = [],
  ): Promise<UploadResponse> {
    const { body, size } = await uploadBody(zipPath, onBytes);
    const query = new URLSearchParams(
      ownerGroups.map((group): [string, string] => ['ownerGroups', group]),
    );
    const path = ownerGroups.length > 0 ? `/v1/models?${query.toString()}` : '/v1/models';
    const response = await send(this.endpoint, path, {
      method: 'POST',
      headers: { 'content-type': 'application/zip', 'content-length': String(size) },
      body,
      duplex: 'half',
    } as RequestInit);
    return (await response.json()) as UploadResponse;
  }

  listModels(): Promise<ModelListResponse> {
    return sendJson(this.endpoint, 'GET', '/v1/models');
  }

  getModel(name: string): Promise<ModelRecord> {
    return sendJson(this.endpoint, 'GET', `/v1/models/${segment(name)}`);
  }

  getVersion(name: string, version: string): Promise<ModelVersionRecord> {
    return sendJson(this.endpoint, 'GET', versionPath(name, version));
  }

  getBuild(id: string): Promise<BuildRecord> {
    return sendJson(this.endpoint, 'GET', `/v1/builds/${segment(id)}`);
  }

  /** The build's progress events until `done` (or until the server ends the stream). */
  async *buildEvents(id: string): AsyncGenerator<BuildProgressEvent> {
    const response = await send(this.endpoint, `/v1/builds/${segment(id)}/events`, {
      headers: { accept: 'text/event-stream' },
    });
    if (response.body === null) return;
    for await (const event of readSse(response.body)) {
      const payload = parseEvent(event.data);
      if (payload === undefined) continue;
      // The event name is the type; the data carries it too.
      const type = event.event === 'message' ? payload.type : event.event;
      yield { ...payload, type } as BuildProgressEvent;
      if (type === 'done') return;
    }
  }

  deploy(name: string, version: string, request: DeploymentRequest): Promise<DeploymentRecord> {
    return sendJson(this.endpoint, 'POST', `${versionPath(name, version)}/deployment`, request);
  }

  /** `force` stops it even while an alias still sends it traffic. */
  undeploy(name: string, version: string, force = false): Promise<DeploymentRecord | undefined> {
    const query = force ? '?force=true' : '';
    return sendJson(this.endpoint, 'DELETE', `${versionPath(name, version)}/deployment${query}`);
  }

  setAlias(name: string, alias: string, request: SetAliasRequest): Promise<unknown> {
    return sendJson(
      this.endpoint,
      'PUT',
      `/v1/models/${segment(name)}/aliases/${segment(alias)}`,
      request,
    );
  }
}

// An event whose data is not a JSON object is not one of ours (a keep-alive, a proxy's).
function parseEvent(data: string): BuildProgressEvent | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as BuildProgressEvent) : undefined;
  } catch {
    return undefined;
  }
}
