import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Resolves once `condition` holds, checking every `intervalMs`; rejects after `timeoutMs`.
 * Tests wait for what they expect to happen rather than sleeping and hoping; the default
 * bound fails a test with this message before Jest's own 5 s timeout does.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 4_000,
  intervalMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

/**
 * Reads `probe` until `check` accepts its value, then answers that value; rejects after
 * `timeoutMs` naming the last value read (what the test was waiting for, and what it saw).
 */
export async function untilValue<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 4_000,
  intervalMs = 5,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`not within ${timeoutMs} ms; last: ${shown(value)}`);
    }
    await sleep(intervalMs);
  }
}

// A value as the failure message shows it: JSON where it can be (a circular or
// unserialisable one, such as a response object, as String() has it).
function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
