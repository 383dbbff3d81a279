import { Logger } from '@nestjs/common';

import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';

import { IgnitePool, type IgniteCredentials } from './ignite-pool';
import { IgniteUnavailableError } from './ignite.errors';

// Needs the platform Ignite of tools/services/ignite/up.sh (REAL_COMPONENTS, with its login).
// The caller plays someone on the host (a model, before the clusters were split) who knows
// where the platform's Ignite listens but holds no login.
const ENDPOINT = REAL_COMPONENTS.igniteEndpoints;

async function readTokenTtl(credentials?: IgniteCredentials): Promise<string | undefined> {
  const pool = new IgnitePool({
    endpoints: [ENDPOINT],
    poolSize: 1,
    connectTimeoutMs: 5_000,
    ...(credentials && { credentials }),
  });
  try {
    await pool.connect();
    return await pool.cache('mlrun-settings').get('tokenTtlSeconds');
  } finally {
    pool.close();
  }
}

describe("the platform's Ignite login", () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('lets a platform service with the login read its stores (control)', async () => {
    await expect(readTokenTtl(platformIgniteLogin())).resolves.toMatch(/^[0-9]+$/);
  });

  it('refuses a client without a login', async () => {
    const refused = readTokenTtl();
    await expect(refused).rejects.toThrow(IgniteUnavailableError);
    await expect(refused).rejects.toThrow(/user name or password is incorrect/);
  });

  it("refuses the superuser's well-known default password", async () => {
    await expect(readTokenTtl({ userName: 'ignite', password: 'ignite' })).rejects.toThrow(
      /user name or password is incorrect/,
    );
  });

  it('refuses a wrong password', async () => {
    const { userName, password } = platformIgniteLogin();
    await expect(readTokenTtl({ userName, password: `${password}x` })).rejects.toThrow(
      /user name or password is incorrect/,
    );
  });
});
