// What one login costs at each scrypt cost, and how many logins per second the machine's
// cores could then sustain: why the experiments' users hash cheaply.
import { randomBytes, scrypt } from 'node:crypto';

import { tInterval, type Interval } from './interval';

export type ScryptCostParams = { N: number; r: number; p: number };

export type LoginCost = {
  label: string;
  scrypt: ScryptCostParams;
  /** Wall time of one scrypt derivation here, ms (one at a time: about its CPU time). */
  hashMs: Interval;
  /** Logins per second all cores could sustain if hashing were all they did. */
  maxLoginsPerSecond: number;
};

/**
 * Times `samples` scrypt derivations at the cost (the issuer's work per login, which
 * dominates it), one after another, and scales to the cores.
 */
export async function measureLoginCost(
  label: string,
  cost: ScryptCostParams,
  samples: number,
  cores: number,
): Promise<LoginCost> {
  const maxmem = 2 * 128 * cost.r * (cost.N + cost.p + 2);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) =>
      scrypt('experiment-password', randomBytes(16), 32, { ...cost, maxmem }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    times.push(performance.now() - started);
  }
  const hashMs = tInterval(times);
  return { label, scrypt: cost, hashMs, maxLoginsPerSecond: (cores * 1000) / hashMs.mean };
}
