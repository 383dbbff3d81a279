import { ConfigError } from '@ml-run/config';

import type { ServiceApp } from './service-app';

/**
 * Starts a service from main.ts. A bad setting or bundle stops the process with one line
 * that says what to fix; anything unexpected also prints its stack.
 */
export async function runService(create: () => Promise<ServiceApp>): Promise<void> {
  try {
    const app = await create();
    await app.listen();
  } catch (error) {
    process.stderr.write(`${describeStartupError(error)}\n`);
    process.exit(1);
  }
}

/**
 * What to print when a process fails to start: the message alone for a bad setting, bundle
 * or port (it says what to fix), the stack for anything unexpected.
 */
export function describeStartupError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const expected = error instanceof ConfigError || 'code' in error;
  return expected ? error.message : (error.stack ?? error.message);
}
