// Records as the builder answers them, for specs.
import type {
  BuildRecord,
  DeploymentRecord,
  ModelRecord,
  UploadResponse,
} from '@ml-run/registry-contract';

import { saveToken } from '../session/token-file';

export const TOKEN = 'mlr_test-token';

/** Stores a valid token as `ml-run login` would. */
export function loggedIn(dataDir: string, now = Date.now()) {
  return saveToken(dataDir, {
    token: TOKEN,
    expiresAt: new Date(now + 3600_000).toISOString(),
    authUrl: 'http://127.0.0.1:9',
    user: 'ada',
  });
}

export const uploadAnswer = (name: string, version: string, created = true): UploadResponse => ({
  name,
  version,
  buildId: 'b-1',
  created,
});

export function buildRecord(over: Partial<BuildRecord> = {}): BuildRecord {
  return {
    id: 'b-1',
    name: 'demo',
    version: '0.1.0+000000000000',
    state: 'running',
    steps: [],
    log: [],
    createdAt: '2026-11-28T12:00:00.000Z',
    ...over,
  };
}

export function deploymentRecord(over: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    name: 'demo',
    version: '0.1.0+000000000000',
    target: 'process',
    replicas: 2,
    state: 'ready',
    replicaStatus: [
      { id: 'r-1', url: 'http://127.0.0.1:9101', state: 'ready', restarts: 0 },
      { id: 'r-2', url: 'http://127.0.0.1:9102', state: 'ready', restarts: 0 },
    ],
    updatedAt: '2026-11-28T12:00:00.000Z',
    ...over,
  };
}

export function modelRecord(over: Partial<ModelRecord> = {}): ModelRecord {
  return { name: 'demo', versions: [], aliases: {}, deployments: [], ...over };
}
