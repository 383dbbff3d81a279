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
    const expected = error instanceof ConfigError || (error instanceof Error && 'code' in error);
    const text =
      error instanceof Error
        ? expected
          ? error.message
          : (error.stack ?? error.message)
        : String(error);
    process.stderr.write(`${text}\n`);
    process.exit(1);
  }
}
