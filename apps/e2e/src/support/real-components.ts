import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { untilValue } from '@ml-run/async/testing';
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
export const eventually = <T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> => untilValue(probe, check, timeoutMs, 25);
