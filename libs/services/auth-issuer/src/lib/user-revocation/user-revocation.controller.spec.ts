import { TOKEN_EVENTS_TOPIC, tokenHash, type TokenEvent } from '@ml-run/token-contract';
import { findLiveRecord } from '@ml-run/token-store';

import {
  ADA_PASSWORD,
  ROOT_PASSWORD,
  startTestIssuer,
  type TestIssuer,
} from '../../testing/start-test-issuer';
import { UserRevocationController } from './user-revocation.controller';

describe(UserRevocationController.name, () => {
  let sut: TestIssuer;
  let events: TokenEvent[];

  const tokenOf = async (username: string, password: string): Promise<string> => {
    const res = await sut.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { grant_type: 'password', username, password },
    });
    expect(res.statusCode).toBe(200);
    return res.json().access_token;
  };
  const revokeAda = (
    headers: Record<string, string> = {},
    url = '/v1/auth/users/ada/revoke-tokens',
  ) => sut.app.inject({ method: 'POST', url, headers });

  beforeEach(async () => {
    sut = await startTestIssuer();
    events = [];
    sut.bus.subscribe<TokenEvent>(TOKEN_EVENTS_TOPIC, (event) => void events.push(event));
  });
  afterEach(() => sut.close());

  it('revokes every token ada holds, for an admin, and tells the replicas', async () => {
    const [first, second] = [
      await tokenOf('ada', ADA_PASSWORD),
      await tokenOf('ada', ADA_PASSWORD),
    ];
    const root = await tokenOf('root', ROOT_PASSWORD);
    const res = await revokeAda({ authorization: `Bearer ${root}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sub: 'ada', notBefore: expect.any(String) });
    for (const token of [first, second]) {
      expect(await findLiveRecord(sut.tokenStore, tokenHash(token))).toBeUndefined();
    }
    expect(await findLiveRecord(sut.tokenStore, tokenHash(root))).toBeDefined();
    expect(events).toEqual([
      { type: 'user.tokens-revoked', sub: 'ada', notBefore: res.json().notBefore },
    ]);
    // A login after the revoke gets a working token.
    const later = await tokenOf('ada', ADA_PASSWORD);
    expect(await findLiveRecord(sut.tokenStore, tokenHash(later))).toBeDefined();
  });

  it('refuses a caller without a token, or with a token that is not an admin’s', async () => {
    const ada = await tokenOf('ada', ADA_PASSWORD);
    expect((await revokeAda()).statusCode).toBe(401);
    expect((await revokeAda({}, '/v1/auth/users/ada/revoke%2Dtokens')).statusCode).toBe(401);
    const own = await revokeAda({ authorization: `Bearer ${ada}` });
    expect(own.statusCode).toBe(403);
    expect(own.headers['www-authenticate']).toContain('scope="admin"');
    expect(events).toEqual([]);
    expect(await findLiveRecord(sut.tokenStore, tokenHash(ada))).toBeDefined();
  });

  it('refuses a name that names no user', async () => {
    const root = await tokenOf('root', ROOT_PASSWORD);
    const res = await revokeAda(
      { authorization: `Bearer ${root}` },
      '/v1/auth/users/..%2Fx/revoke-tokens',
    );
    expect(res.statusCode).toBe(400);
  });
});
