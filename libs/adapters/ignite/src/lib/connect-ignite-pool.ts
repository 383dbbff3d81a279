import { IgnitePool } from './ignite-pool';
import { ignitePoolOptionsOf, type IgniteConfig } from './ignite.config';

/**
 * How an app gets its pool: a connected IgnitePool when MLRUN_IGNITE_ENDPOINTS is set,
 * undefined otherwise (the app then uses memory or file adapters). Rejects with
 * IgniteUnavailableError, naming the endpoints, when Ignite cannot be reached within
 * MLRUN_IGNITE_TIMEOUT_MS. Close it on shutdown.
 */
export async function connectIgnitePool(config: IgniteConfig): Promise<IgnitePool | undefined> {
  const options = ignitePoolOptionsOf(config);
  if (!options) return undefined;
  const pool = new IgnitePool(options);
  await pool.connect();
  return pool;
}
