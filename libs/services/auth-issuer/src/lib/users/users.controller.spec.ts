import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';

import { until } from '@ml-run/async/testing';
import {
  TOKEN_EVENTS_TOPIC,
  tokenHash,
  UserAdminErrorCode,
  type TokenEvent,
} from '@ml-run/token-contract';
import { findLiveRecord } from '@ml-run/token-store';
import { addUser } from '@ml-run/user-directory';

import {
  ADA_PASSWORD,
  ROOT_PASSWORD,
  startTestIssuer,
  TEST_SCRYPT,
  type TestIssuer,
} from '../../testing/start-test-issuer';
import { UsersController } from './users.controller';

const BOB_PASSWORD = 'bob-secret-passphrase-42';

describe(UsersController.name, () => {
  let sut: TestIssuer;
  let root: Record<string, string>;
  let events: TokenEvent[];

  const login = (username: string, password: string) =>
    sut.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { grant_type: 'password', username, password },
    });
  const tokenOf = async (username: string, password: string): Promise<string> => {
    const res = await login(username, password);
    expect(res.statusCode).toBe(200);
    return res.json().access_token;
  };
  const call = (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    payload?: unknown,
  ) =>
    sut.app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const addBob = (
    body: unknown = { username: 'bob', password: BOB_PASSWORD, groups: ['publishers'] },
  ) => call('POST', '/v1/users', root, body);

  beforeEach(async () => {
    sut = await startTestIssuer();
    root = { authorization: `Bearer ${await tokenOf('root', ROOT_PASSWORD)}` };
    events = [];
    sut.bus.subscribe<TokenEvent>(TOKEN_EVENTS_TOPIC, (event) => void events.push(event));
  });
  afterEach(() => sut.close());

  describe('GET /v1/users and /v1/groups', () => {
    it('lists the users file’s users with their groups, and its groups with their scopes', async () => {
      const users = await call('GET', '/v1/users', root);
      expect(users.statusCode).toBe(200);
      expect(users.headers['cache-control']).toBe('no-store');
      expect(users.json()).toEqual({
        users: [
          { username: 'ada', groups: ['publishers'] },
          { username: 'pat', groups: ['predictors'] },
          { username: 'root', groups: ['admins'] },
        ],
        managedBy: 'file',
        editable: true,
      });
      const groups = await call('GET', '/v1/groups', root);
      expect(groups.statusCode).toBe(200);
      expect(groups.json()).toEqual({
        groups: [
          { name: 'admins', scopes: ['admin'] },
          { name: 'predictors', scopes: ['predict:*'] },
          { name: 'publishers', scopes: ['models:write:*', 'predict:*'] },
        ],
        managedBy: 'file',
      });
    });

    it('answers what an edit of the file by the CLI changed', async () => {
      await addUser(sut.usersFile, 'cli-user', 'cli-user-password', ['predictors'], TEST_SCRYPT);
      const names = (await call('GET', '/v1/users', root))
        .json()
        .users.map((user: { username: string }) => user.username);
      expect(names).toContain('cli-user');
    });
  });

  describe('POST /v1/users', () => {
    it('adds a user who can then log in; neither the answer nor any log line holds the password', async () => {
      const res = await addBob();
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ username: 'bob', groups: ['publishers'] });
      const bob = await login('bob', BOB_PASSWORD);
      expect(bob.statusCode).toBe(200);
      expect(bob.json().scope).toBe('models:write:* predict:*');
      expect(JSON.stringify(sut.logs)).not.toContain(BOB_PASSWORD);
      expect(await readFile(sut.usersFile, 'utf8')).not.toContain(BOB_PASSWORD);
      expect(sut.logs).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ msg: 'user added', user: 'bob', by: 'root' }),
        ]),
      );
    });

    it.each([
      ['not an object', ['bob'], 'JSON object'],
      ['no password', { username: 'bob', groups: [] }, 'password'],
      [
        'groups not an array',
        { username: 'bob', password: BOB_PASSWORD, groups: 'admins' },
        'groups',
      ],
      [
        'an unknown field',
        { username: 'bob', password: BOB_PASSWORD, groups: [], admin: true },
        'admin',
      ],
      ['a numeric username', { username: 7, password: BOB_PASSWORD, groups: [] }, 'username'],
    ])('refuses a body with %s: 400 saying which field', async (_case, body, field) => {
      const res = await addBob(body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        code: UserAdminErrorCode.InvalidUserRequest,
        message: expect.stringContaining(field),
      });
    });

    it.each([
      [
        'a short password',
        { username: 'bob', password: 'short-pw', groups: [] },
        UserAdminErrorCode.WeakPassword,
      ],
      [
        'an invalid username',
        { username: 'Bob!', password: BOB_PASSWORD, groups: [] },
        UserAdminErrorCode.InvalidUsername,
      ],
      [
        'an unknown group',
        { username: 'bob', password: BOB_PASSWORD, groups: ['gods'] },
        UserAdminErrorCode.UnknownGroup,
      ],
    ])('refuses %s with 422, never echoing the password', async (_case, body, code) => {
      const res = await addBob(body);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toEqual({ code, message: expect.any(String) });
      expect(res.body).not.toContain((body as { password: string }).password);
      expect((await login('bob', (body as { password: string }).password)).statusCode).toBe(400);
    });

    it('neither logs nor echoes the password of a body that is not JSON', async () => {
      const res = await sut.app.inject({
        method: 'POST',
        url: '/v1/users',
        headers: { ...root, 'content-type': 'application/json' },
        payload: `{"username":"bob","password":"${BOB_PASSWORD}",,}`,
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toContain(BOB_PASSWORD);
      expect(JSON.stringify(sut.logs)).not.toContain(BOB_PASSWORD);
    });

    it('refuses an existing username with 409 and leaves that user as they were', async () => {
      const res = await addBob({ username: 'ada', password: BOB_PASSWORD, groups: ['admins'] });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe(UserAdminErrorCode.UserExists);
      expect((await login('ada', ADA_PASSWORD)).json().scope).toBe('models:write:* predict:*');
    });

    it('refuses a body over 16 KiB with 413, declared or chunked, and adds no one', async () => {
      const body = JSON.stringify({ username: 'bob', password: 'x'.repeat(20_000), groups: [] });
      const declared = await call(
        'POST',
        '/v1/users',
        { ...root, 'content-type': 'application/json' },
        body,
      );
      expect(declared.statusCode).toBe(413);
      expect(declared.json()).toEqual({
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.stringContaining('at most 16384 bytes'),
      });
      const chunked = await sut.app.inject({
        method: 'POST',
        url: '/v1/users',
        headers: { ...root, 'content-type': 'application/json' },
        payload: Readable.from([body.slice(0, 10_000), body.slice(10_000)]),
      });
      expect(chunked.statusCode).toBe(413);
      expect(chunked.json().code).toBe('PAYLOAD_TOO_LARGE');
      expect((await call('GET', '/v1/users', root)).json().users).toHaveLength(3);
      // Within the bound, the same door works.
      expect((await addBob()).statusCode).toBe(201);
    });
  });

  describe('DELETE /v1/users/{name}', () => {
    it('removes the user and revokes their tokens before answering', async () => {
      const ada = await tokenOf('ada', ADA_PASSWORD);
      const res = await call('DELETE', '/v1/users/ada', root);
      expect(res.statusCode).toBe(204);
      expect(await findLiveRecord(sut.tokenStore, tokenHash(ada))).toBeUndefined();
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'user.tokens-revoked', sub: 'ada' }),
      );
      expect((await login('ada', ADA_PASSWORD)).statusCode).toBe(400);
      const names = (await call('GET', '/v1/users', root))
        .json()
        .users.map((user: { username: string }) => user.username);
      expect(names).toEqual(['pat', 'root']);
    });

    it('revokes the tokens of a user the API removed through the file watcher too', async () => {
      // The watcher revokes a second time (after it sees the file change): a token minted
      // in between the two would go as well, so none survives a removal.
      await tokenOf('ada', ADA_PASSWORD);
      expect((await call('DELETE', '/v1/users/ada', root)).statusCode).toBe(204);
      await until(
        () => events.filter((e) => e.type === 'user.tokens-revoked' && e.sub === 'ada').length >= 2,
      );
    });

    it('refuses an admin removing themselves: 409 CANNOT_REMOVE_SELF, and they stay', async () => {
      const res = await call('DELETE', '/v1/users/root', root);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({
        code: UserAdminErrorCode.CannotRemoveSelf,
        message: expect.stringContaining('another admin'),
      });
      expect((await call('GET', '/v1/users', root)).statusCode).toBe(200);
    });

    it('lets one admin remove another', async () => {
      await addUser(sut.usersFile, 'ops', 'ops-password-123', ['admins'], TEST_SCRYPT);
      const ops = { authorization: `Bearer ${await tokenOf('ops', 'ops-password-123')}` };
      expect((await call('DELETE', '/v1/users/root', ops)).statusCode).toBe(204);
      expect((await call('GET', '/v1/users', root)).statusCode).toBe(401);
    });

    it('answers 404 for a user that does not exist, and 400 for a name that names no one', async () => {
      const missing = await call('DELETE', '/v1/users/nobody', root);
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe(UserAdminErrorCode.UserNotFound);
      expect((await call('DELETE', '/v1/users/..%2Fada', root)).statusCode).toBe(400);
    });
  });

  describe('POST /v1/users/{name}/revoke-tokens', () => {
    it('revokes every token of the user, as POST /v1/auth/users/{name}/revoke-tokens', async () => {
      const ada = await tokenOf('ada', ADA_PASSWORD);
      const res = await call('POST', '/v1/users/ada/revoke-tokens', root);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ sub: 'ada', notBefore: expect.any(String) });
      expect(await findLiveRecord(sut.tokenStore, tokenHash(ada))).toBeUndefined();
    });
  });

  it('refuses every user door to a publisher and to a predict-only token: 403 naming admin', async () => {
    const ada = { authorization: `Bearer ${await tokenOf('ada', ADA_PASSWORD)}` };
    const pat = { authorization: `Bearer ${await tokenOf('pat', 'pat-password-123')}` };
    const doors: ['GET' | 'POST' | 'DELETE', string, unknown?][] = [
      ['GET', '/v1/users'],
      ['GET', '/v1/groups'],
      ['POST', '/v1/users', { username: 'eve', password: BOB_PASSWORD, groups: ['admins'] }],
      ['DELETE', '/v1/users/root'],
      ['POST', '/v1/users/root/revoke-tokens'],
    ];
    for (const caller of [ada, pat]) {
      for (const [method, url, body] of doors) {
        const res = await call(method, url, caller, body);
        expect({ method, url, status: res.statusCode }).toEqual({ method, url, status: 403 });
        expect(res.headers['www-authenticate']).toContain('scope="admin"');
      }
    }
    expect((await login('eve', BOB_PASSWORD)).statusCode).toBe(400);
    expect(events).toEqual([]);
  });
});
