import { createHash, randomBytes } from 'node:crypto';

/** A plane's service credentials, one per role, fresh for each plane. */
export type PlaneCredentials = {
  /** Wrappers and the builder ask the validator with it (MLRUN_INTROSPECTION_TOKEN). */
  introspection: string;
  /** Routers read the builder's route table with it (MLRUN_ROUTE_TABLE_TOKEN). */
  routeTable: string;
  /** The console reads the registry with it (MLRUN_REGISTRY_READ_TOKEN). */
  registryRead: string;
  /** Scrapers read every service's /metrics with it (MLRUN_METRICS_TOKEN). */
  metrics: string;
  /** The issuer signs token records with it, the validator checks them (MLRUN_TOKEN_MAC_KEY). */
  tokenMacKey: string;
};

export function newPlaneCredentials(): PlaneCredentials {
  const fresh = () => randomBytes(32).toString('base64url');
  return {
    introspection: fresh(),
    routeTable: fresh(),
    registryRead: fresh(),
    metrics: fresh(),
    tokenMacKey: fresh(),
  };
}

/**
 * The digest form a service that only checks a credential is given (`sha256:<hex>`, as
 * @ml-run/token-contract's credentialDigest, which this test library may not import).
 */
export function digestOf(credential: string): string {
  return `sha256:${createHash('sha256').update(credential, 'utf8').digest('hex')}`;
}

/** The header a scraper sends to /metrics. */
export function scraperHeaders(credentials: PlaneCredentials): Record<string, string> {
  return { authorization: `Bearer ${credentials.metrics}` };
}
