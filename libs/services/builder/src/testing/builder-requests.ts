import type { LightMyRequestResponse } from 'fastify';

import type { UploadResponse } from '@ml-run/registry-contract';

import { bearer, VIEWER_TOKEN, WRITER_TOKEN } from './fake-authorizer';
import type { TestBuilder } from './start-test-builder';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A request with the writer's token (ada: models:write:*; owns what she uploads). */
export function write(
  builder: TestBuilder,
  method: Method,
  url: string,
  payload?: object,
): Promise<LightMyRequestResponse> {
  return builder.app.inject({ method, url, headers: bearer(WRITER_TOKEN), payload });
}

/** A GET with the viewer's token (models:read:*, no write). */
export function read(builder: TestBuilder, url: string): Promise<LightMyRequestResponse> {
  return builder.app.inject({ method: 'GET', url, headers: bearer(VIEWER_TOKEN) });
}

/** Uploads a zip and waits for its build to end. */
export async function uploadBuilt(builder: TestBuilder, zip: Buffer): Promise<UploadResponse> {
  const res = await builder.app.inject({
    method: 'POST',
    url: '/v1/models',
    headers: { ...bearer(WRITER_TOKEN), 'content-type': 'application/zip' },
    payload: zip,
  });
  if (res.statusCode >= 300) throw new Error(`upload answered ${res.statusCode}: ${res.body}`);
  await builder.buildsIdle();
  return res.json();
}

/** `/v1/models/<name>/versions/<version>` with the version encoded. */
export const versionUrl = (name: string, version: string) =>
  `/v1/models/${name}/versions/${encodeURIComponent(version)}`;
