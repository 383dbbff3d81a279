import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';

import { IgniteKeyvStore, IgnitePool, TOKENS_CACHE } from '@ml-run/ignite';
import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';
import { TOKEN_AUDIENCE, tokenHash } from '@ml-run/token-contract';
import { TieredTokenStore, TokenRecordMac, type TokenRecord } from '@ml-run/token-store';

import {
  AUTHORIZED,
  startTestValidator,
  type TestValidator,
} from '../testing/start-test-validator';

// Needs the platform Ignite of tools/services/ignite/up.sh (REAL_COMPONENTS, with its login).
// The attacker can write mlrun-tokens (a model before the clusters were split, or anyone
// holding the Ignite login) but not the MAC key: they put an admin record for a token of
// their own straight into the cache and ask the validator about it, as the builder would.
describe('token-validator and a token record forged straight into Ignite', () => {
  const mac = new TokenRecordMac(randomBytes(32).toString('base64url'));
  const used: string[] = [];
  let pool: IgnitePool;
  let store: TieredTokenStore;
  let validator: TestValidator;

  const forge = async (sign: (hash: string, record: TokenRecord) => object) => {
    const token = `forged-${randomUUID()}`;
    const hash = tokenHash(token);
    used.push(hash);
    const now = Math.floor(Date.now() / 1000);
    const record = {
      sub: 'mallory',
      scope: ['admin'],
      iat: now,
      exp: now + 600,
      aud: TOKEN_AUDIENCE,
    };
    await pool.cache(TOKENS_CACHE).put(hash, JSON.stringify(sign(hash, record)));
    return token;
  };
  const introspect = async (token: string) => {
    const res = await validator.app.inject({
      method: 'POST',
      url: '/v1/tokens/introspect',
      headers: { ...AUTHORIZED, 'content-type': 'application/json' },
      payload: JSON.stringify({ token }),
    });
    expect(res.statusCode).toBe(200);
    return res.json() as { active: boolean; scope?: string };
  };

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    pool = new IgnitePool({
      endpoints: [REAL_COMPONENTS.igniteEndpoints],
      credentials: platformIgniteLogin(),
      poolSize: 1,
    });
    await pool.connect();
    // As apps/token-validator composes it: memory, then Ignite through Keyv.
    store = new TieredTokenStore(new IgniteKeyvStore(pool.cache(TOKENS_CACHE)), { mac });
    validator = await startTestValidator({ store });
  });
  afterAll(async () => {
    await validator?.close();
    store?.close();
    if (used.length > 0) await pool?.cache(TOKENS_CACHE).removeAll(used);
    pool?.close();
    jest.restoreAllMocks();
  });

  it('calls a record with a valid MAC active (control: the write path reaches the validator)', async () => {
    const token = await forge((hash, record) => ({
      ...record,
      mac: mac.sign(hash, record),
    }));
    expect(await introspect(token)).toMatchObject({ active: true, scope: 'admin' });
  });

  it('calls a record without a MAC inactive', async () => {
    const token = await forge((_hash, record) => record);
    expect(await introspect(token)).toEqual({ active: false });
  });

  it('calls a record with a MAC under another key inactive', async () => {
    const guess = new TokenRecordMac(randomBytes(32).toString('base64url'));
    const token = await forge((hash, record) => ({
      ...record,
      mac: guess.sign(hash, record),
    }));
    expect(await introspect(token)).toEqual({ active: false });
  });
});
