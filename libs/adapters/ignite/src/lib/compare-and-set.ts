import { setTimeout as sleep } from 'node:timers/promises';

import type { IgniteCache } from './ignite-cache';

const MAX_ATTEMPTS = 50;

/**
 * Read-modify-write of one JSON value that no concurrent writer (another process, say a second builder) can
 * overwrite unseen: the write is a putIfAbsent (nothing stored) or a replaceIfEquals (the
 * exact string that was read), and a lost race reads again. `change` may therefore run
 * more than once and must not have side effects. Returns the value now stored.
 */
export async function compareAndSet<T>(
  cache: Pick<IgniteCache, 'get' | 'putIfAbsent' | 'replaceIfEquals'>,
  key: string,
  parse: (raw: string) => T | undefined,
  change: (stored: T | undefined) => { value: T; write: boolean },
): Promise<T> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const raw = await cache.get(key);
    const { value, write } = change(raw === undefined ? undefined : parse(raw));
    if (!write) return value;
    const text = JSON.stringify(value);
    const written =
      raw === undefined
        ? await cache.putIfAbsent(key, text)
        : await cache.replaceIfEquals(key, raw, text);
    if (written) return value;
    // Lost a race: step aside a little (randomized, so two writers do not retry in step).
    await sleep(Math.random() * Math.min(2 * attempt, 20));
  }
  throw new Error(`entry ${key} kept changing; gave up after ${MAX_ATTEMPTS} attempts`);
}
