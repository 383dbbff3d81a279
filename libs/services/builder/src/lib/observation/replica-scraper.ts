import type { RecentError } from '@ml-run/registry-contract';

/** How long one replica may take to answer a scrape: a slow one is shown as not scraped. */
const SCRAPE_TIMEOUT_MS = 2000;
/** The most of a replica's answer read (its /metrics page is a few kB). */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Reads a replica's /metrics and /v1/errors with the scrape credential the builder holds
 * (replicas check it against its digest). Without one, or when a replica does not answer
 * in time, it answers undefined: the console shows that replica as not scraped.
 */
export class ReplicaScraper {
  constructor(private readonly credential: string | undefined) {}

  metrics(replicaUrl: string): Promise<string | undefined> {
    return this.read(replicaUrl, '/metrics');
  }

  async errors(replicaUrl: string): Promise<RecentError[] | undefined> {
    const text = await this.read(replicaUrl, '/v1/errors');
    if (text === undefined) return undefined;
    try {
      const errors = (JSON.parse(text) as { errors?: unknown }).errors;
      return Array.isArray(errors) ? errors.filter(isRecentError).map(cleanError) : undefined;
    } catch {
      return undefined;
    }
  }

  private async read(replicaUrl: string, path: string): Promise<string | undefined> {
    if (this.credential === undefined) return undefined;
    try {
      const response = await fetch(`${replicaUrl.replace(/\/+$/, '')}${path}`, {
        headers: { authorization: `Bearer ${this.credential}` },
        redirect: 'error',
        signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
      });
      if (!response.ok) {
        await response.body?.cancel();
        return undefined;
      }
      const text = await response.text();
      return text.length > MAX_ANSWER_BYTES ? undefined : text;
    } catch {
      return undefined;
    }
  }
}

// A replica is the model's code's neighbour: what it answers is checked, not trusted.
function isRecentError(value: unknown): value is RecentError {
  const error = value as Partial<RecentError> | null;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof error.at === 'string' &&
    typeof error.message === 'string' &&
    (error.status === undefined || typeof error.status === 'number') &&
    (error.code === undefined || typeof error.code === 'string') &&
    (error.requestId === undefined || typeof error.requestId === 'string')
  );
}

// Only the fields the contract names, as a prediction error of this replica.
function cleanError(error: RecentError): RecentError {
  return {
    at: error.at,
    source: 'prediction',
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.code === undefined ? {} : { code: error.code }),
    message: error.message,
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
  };
}
