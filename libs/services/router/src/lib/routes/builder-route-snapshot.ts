import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

import type { RouteTable } from '@ml-run/registry-contract';

import type { RouteSnapshot } from './route-snapshot.port';

/** How long one snapshot request may take before it counts as failed and is retried. */
export const SNAPSHOT_TIMEOUT_MS = 5000;

/**
 * Fetches `GET <builderUrl>/v1/routes`, presenting the route-table credential when there is
 * one (a builder of its own checks tokens); rejects with what went wrong, for the retry log.
 */
export function builderRouteSnapshot(
  builderUrl: string,
  routeTableToken?: string,
  timeoutMs = SNAPSHOT_TIMEOUT_MS,
): RouteSnapshot {
  const endpoint = new URL(`${builderUrl.replace(/\/+$/, '')}/v1/routes`);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (routeTableToken) headers['authorization'] = `Bearer ${routeTableToken}`;
  return async (signal) => parseRouteTable(await getText(endpoint, headers, timeoutMs, signal));
}

function getText(
  endpoint: URL,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<string> {
  const get = endpoint.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    // agent: false: a snapshot is rare, and a kept socket would outlive a closing router.
    const call = get(endpoint, { agent: false, timeout: timeoutMs, signal, headers }, (response) =>
      readText(response).then(resolve, reject),
    );
    call.on('timeout', () => call.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    call.on('error', (error) => reject(new Error(`GET ${endpoint.href} failed: ${error.message}`)));
  });
}

async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (response.statusCode !== 200) {
    throw new Error(
      `builder answered ${response.statusCode} to GET /v1/routes: ${text.slice(0, 200)}`,
    );
  }
  return text;
}

/** The body as a RouteTable, or an error naming the first thing that is not one. */
export function parseRouteTable(text: string): RouteTable {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('builder answered GET /v1/routes with something other than JSON');
  }
  const problem = routeTableProblem(value);
  if (problem)
    throw new Error(`builder answered GET /v1/routes with a bad route table: ${problem}`);
  return value as RouteTable;
}

function routeTableProblem(value: unknown): string | undefined {
  if (!isObject(value) || !isObject(value['models'])) return '"models" must be an object';
  for (const [name, model] of Object.entries(value['models'])) {
    if (!isObject(model) || !isObject(model['versions']) || !isObject(model['aliases'])) {
      return `models.${name} must have "versions" and "aliases" objects`;
    }
    for (const [version, urls] of Object.entries(model['versions'])) {
      if (!Array.isArray(urls) || !urls.every((url) => typeof url === 'string')) {
        return `models.${name}.versions.${version} must be a list of URLs`;
      }
    }
    for (const [alias, target] of Object.entries(model['aliases'])) {
      if (!isObject(target) || !isWeightedList(target['versions'])) {
        return `models.${name}.aliases.${alias} must have a "versions" list of {version, weight}`;
      }
    }
  }
  return undefined;
}

function isWeightedList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (item) =>
        isObject(item) && typeof item['version'] === 'string' && typeof item['weight'] === 'number',
    )
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
