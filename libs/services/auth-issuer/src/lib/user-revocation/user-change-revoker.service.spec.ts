import { TOKEN_EVENTS_TOPIC, tokenHash, type TokenEvent } from '@ml-run/token-contract';
import { findLiveRecord } from '@ml-run/token-store';
import { removeUser, setPassword } from '@ml-run/user-directory';

import {
  ADA_PASSWORD,
  startTestIssuer,
  TEST_SCRYPT,
  type TestIssuer,
} from '../../testing/start-test-issuer';
import { UserChangeRevoker } from './user-change-revoker.service';

describe(UserChangeRevoker.name, () => {
  let sut: TestIssuer;
  let events: TokenEvent[];

  const login = async (username: string, password: string) =>
    sut.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { grant_type: 'password', username, password },
    });
  const revokedFor = async (sub: string) => {
    for (
      let i = 0;
      i < 500 && !events.some((e) => e.type === 'user.tokens-revoked' && e.sub === sub);
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return events.filter((e) => e.type === 'user.tokens-revoked').map((e) => e.sub);
  };

  beforeEach(async () => {
    sut = await startTestIssuer();
    events = [];
    sut.bus.subscribe<TokenEvent>(TOKEN_EVENTS_TOPIC, (event) => void events.push(event));
  });
  afterEach(() => sut.close());

  it("revokes a removed user's tokens, and no one else's", async () => {
    const ada = (await login('ada', ADA_PASSWORD)).json().access_token;
    const pat = (await login('pat', 'pat-password-123')).json().access_token;
    await removeUser(sut.usersFile, 'ada');
    expect(await revokedFor('ada')).toEqual(['ada']);
    expect(await findLiveRecord(sut.tokenStore, tokenHash(ada))).toBeUndefined();
    expect(await findLiveRecord(sut.tokenStore, tokenHash(pat))).toBeDefined();
  });

  it("revokes the tokens issued before a password change; the new password's login works", async () => {
    const before = (await login('pat', 'pat-password-123')).json().access_token;
    await setPassword(sut.usersFile, 'pat', 'pat-new-password-456', TEST_SCRYPT);
    expect(await revokedFor('pat')).toEqual(['pat']);
    expect(await findLiveRecord(sut.tokenStore, tokenHash(before))).toBeUndefined();
    const after = await login('pat', 'pat-new-password-456');
    expect(after.statusCode).toBe(200);
    expect(
      await findLiveRecord(sut.tokenStore, tokenHash(after.json().access_token)),
    ).toBeDefined();
  });

  it('keeps trying a revocation the token store refused, until it is stored', async () => {
    const ada = (await login('ada', ADA_PASSWORD)).json().access_token;
    const store = jest
      .spyOn(sut.tokenStore, 'revokeSubject')
      .mockRejectedValueOnce(new Error('ignite away'))
      .mockRejectedValueOnce(new Error('ignite away'));
    await removeUser(sut.usersFile, 'ada');
    expect(await revokedFor('ada')).toEqual(['ada']);
    expect(store).toHaveBeenCalledTimes(3);
    expect(await findLiveRecord(sut.tokenStore, tokenHash(ada))).toBeUndefined();
  });
});
