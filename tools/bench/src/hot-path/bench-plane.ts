import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { login, startAuthPlane, type AuthPlane } from '@ml-run/process-testing';

import {
  EXPERIMENT_SCRYPT,
  experimentClients,
  writeExperimentUsers,
  type ExperimentClient,
} from '../experiments/experiment-users';
import { NO_LOGIN_LOCKS } from '../experiments/stack-settings';

/** The embedded control plane every authenticated case shares, and its users' tokens. */
export type BenchPlane = {
  plane: AuthPlane;
  /** Users with a cheap password hash, for the open loop's logins. */
  clients: ExperimentClient[];
  /** One bearer token per connection, one per client. */
  tokens: string[];
};

/**
 * Starts the plane with `count` users hashed at the experiments' cheap scrypt cost (a
 * production login is ~100 ms of CPU; 50 of them would be seconds of a loaded CI box) and
 * logs each in once. Login limits are raised: many logins from 127.0.0.1 are not a guesser.
 */
export async function startBenchPlane(
  count: number,
  format: 'opaque' | 'jwt' = 'opaque',
): Promise<BenchPlane> {
  const clients = experimentClients(count);
  const usersFile = path.join(mkdtempSync(path.join(tmpdir(), 'hot-path-')), 'users.json');
  await writeExperimentUsers(usersFile, clients, EXPERIMENT_SCRYPT);
  const plane = await startAuthPlane({
    MLRUN_USERS_FILE: usersFile,
    MLRUN_TOKEN_FORMAT: format,
    ...NO_LOGIN_LOCKS,
  });
  try {
    return { plane, clients, tokens: await loginAll(plane, clients) };
  } catch (error) {
    await plane.stop();
    throw error;
  }
}

/** One fresh token per client. */
export async function loginAll(plane: AuthPlane, clients: ExperimentClient[]): Promise<string[]> {
  const tokens: string[] = [];
  for (const client of clients)
    tokens.push((await login(plane.issuerUrl, client.username, client.password)).access_token);
  return tokens;
}
