import { IgniteCache } from './ignite-cache';
import type { IgnitePool } from './ignite-pool';
import { IgniteErrorCode, type IgniteError } from './ignite.errors';

/**
 * Where ML-RUN's Ignite server (tools/services/ignite) publishes the settings clients must
 * agree with, as JSON strings by key; written at each start.
 */
export const IGNITE_SETTINGS_CACHE = 'mlrun-settings';

/** How long the server's token cache keeps an entry, or undefined when it does not say. */
export async function igniteTokenTtlSeconds(pool: IgnitePool): Promise<number | undefined> {
  let text: string | undefined;
  try {
    text = await new IgniteCache(pool, IGNITE_SETTINGS_CACHE).get('tokenTtlSeconds');
  } catch (error) {
    // A server without the settings cache (another setup, an older build) cannot tell.
    if ((error as IgniteError).code === IgniteErrorCode.OperationFailed) return undefined;
    throw error;
  }
  // JSON text of a number is the number's text; anything else says nothing usable.
  const seconds = text === undefined ? NaN : Number(text);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * Why tokens of `tokenTtlMs` would not live their life in this Ignite (its token cache
 * drops entries sooner), or undefined when they would, or when Ignite does not say.
 */
export async function tokenLifetimeProblem(
  pool: IgnitePool,
  tokenTtlMs: number,
): Promise<string | undefined> {
  const kept = await igniteTokenTtlSeconds(pool);
  if (kept === undefined || kept * 1000 >= tokenTtlMs) return undefined;
  return (
    `is ${tokenTtlMs / 1000} s, but Ignite drops tokens after ${kept} s ` +
    '(its mlrun.ignite.tokenTtlSeconds): tokens would stop working early. Lower ' +
    'MLRUN_TOKEN_TTL, or start Ignite with a longer token TTL'
  );
}
