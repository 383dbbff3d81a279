import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { loadConfig } from '@ml-run/config';
import { MemoryEventBus, type EventPublisher } from '@ml-run/event-bus';
import type { ServiceApp } from '@ml-run/server';
import { TEST_METRICS_TOKEN } from '@ml-run/server/testing';
import { MemoryTokenStore } from '@ml-run/token-store';
import { addUser, FileUserDirectory, type UserDirectory } from '@ml-run/user-directory';

import { authIssuerConfigShape } from '../lib/auth-issuer.config';
import { createAuthIssuerApp } from '../lib/create-auth-issuer-app';
import type { LoginCounters } from '../lib/login-throttle/login-counters.port';

/** Cheap scrypt for tests; production hashes use N=32768. */
export const TEST_SCRYPT = { scrypt: { N: 1024, r: 8, p: 1 } };
export const ADA_PASSWORD = 'ada-password-123';
export const ROOT_PASSWORD = 'root-password-123';

export type TestIssuer = {
  app: ServiceApp;
  tokenStore: MemoryTokenStore;
  /** The bus the app publishes to, unless a publisher was passed. */
  bus: MemoryEventBus;
  usersFile: string;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
};

/**
 * An issuer on a temp users file (ada in publishers, pat in predictors, root in admins), memory store and
 * bus, not listening (use inject); settings as MLRUN_ strings. `directory` replaces the users file’s
 * directory (the file is still written).
 */
export async function startTestIssuer(
  settings: Record<string, string> = {},
  publisher?: EventPublisher,
  loginCounters?: LoginCounters,
  directory?: UserDirectory,
): Promise<TestIssuer> {
  const bus = new MemoryEventBus();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'auth-issuer-'));
  const usersFile = path.join(dir, 'users.json');
  await addUser(usersFile, 'ada', ADA_PASSWORD, ['publishers'], TEST_SCRYPT);
  await addUser(usersFile, 'pat', 'pat-password-123', ['predictors'], TEST_SCRYPT);
  await addUser(usersFile, 'root', ROOT_PASSWORD, ['admins'], TEST_SCRYPT);
  const config = loadConfig(authIssuerConfigShape, {
    MLRUN_PORT: '0',
    MLRUN_LOG_LEVEL: 'info',
    MLRUN_DATA_DIR: dir,
    MLRUN_METRICS_TOKEN: TEST_METRICS_TOKEN,
    ...settings,
  });
  const tokenStore = new MemoryTokenStore();
  const users = directory ?? new FileUserDirectory(usersFile, TEST_SCRYPT);
  const logs: Record<string, unknown>[] = [];
  const logDestination = { write: (line: string) => void logs.push(JSON.parse(line)) };
  const app = await createAuthIssuerApp(
    config,
    { tokenStore, events: publisher ?? bus, users, loginCounters },
    { logDestination },
  );
  const close = async () => {
    await app.close();
    tokenStore.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { app, tokenStore, bus, usersFile, logs, close };
}
