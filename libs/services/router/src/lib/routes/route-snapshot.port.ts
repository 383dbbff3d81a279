import type { RouteTable } from '@ml-run/registry-contract';

/**
 * The whole route table, fetched at start and after an event gap: the builder's
 * `GET /v1/routes` by default; embedded mode may read its registry directly.
 */
export type RouteSnapshot = (signal: AbortSignal) => Promise<RouteTable>;

export const ROUTE_SNAPSHOT = Symbol('ROUTE_SNAPSHOT');
