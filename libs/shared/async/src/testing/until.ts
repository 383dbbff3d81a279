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
