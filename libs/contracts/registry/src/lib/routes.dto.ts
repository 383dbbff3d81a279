import type { AliasTarget } from './registry.dto';

/**
 * The router's whole view (`GET /v1/routes` on the builder, for a router that starts after
 * the builder): per model, each deployed version's READY replica URLs, and the aliases.
 * @example { models: { iris: { versions: { '1.0.0+6526c66fa490': ['http://127.0.0.1:9101'] }, aliases: { stable: {...} } } } }
 */
export type RouteTable = {
  models: Record<
    string,
    { versions: Record<string, string[]>; aliases: Record<string, AliasTarget> }
  >;
};

/** The alias the router uses when a request names only the model. */
export const DEFAULT_ALIAS = 'stable';
