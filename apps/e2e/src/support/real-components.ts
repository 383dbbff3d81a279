import { execFile } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

import { REPO_ROOT } from '@ml-run/process-testing';

const run = promisify(execFile);

export type Component = 'ignite' | 'model-ignite' | 'kafka' | 'slapd';

/** Stops a real component (tools/services/<name>/down.sh); its data stays. */
export async function stopComponent(name: Component): Promise<void> {
  await run(path.join(REPO_ROOT, 'tools/services', name, 'down.sh'));
}

/** Starts it again and waits until it is healthy (tools/services/<name>/up.sh). */
export async function startComponent(name: Component): Promise<void> {
  await run(path.join(REPO_ROOT, 'tools/services', name, 'up.sh'), { timeout: 120_000 });
}

/** Polls until `check` holds, answering that value; fails after `timeoutMs` with the last one. */
export async function eventually<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const started = Date.now();
  let value = await probe();
  while (!check(value)) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`not within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await sleep(25);
    value = await probe();
  }
  return value;
}
