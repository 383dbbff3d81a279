import type { ConsoleApi } from '../api/console-api';
import { addUser, listGroups, listUsers, removeUser, revokeTokens } from './users-api';

function recordingApi() {
  const calls: unknown[][] = [];
  const api: ConsoleApi = {
    get: async (path) => {
      calls.push(['GET', path]);
      return undefined as never;
    },
    send: async (method, path, body) => {
      calls.push(body === undefined ? [method, path] : [method, path, body]);
      return undefined as never;
    },
    stream: async () => undefined,
  };
  return { api, calls };
}

describe('users api', () => {
  it('calls the issuer through the console proxy', async () => {
    const { api, calls } = recordingApi();
    const signal = new AbortController().signal;
    await listUsers(api, signal);
    await listGroups(api, signal);
    await addUser(api, { username: 'bob', password: 'correct horse battery', groups: ['a'] });
    await removeUser(api, 'bob');
    await revokeTokens(api, 'bob');
    expect(calls).toEqual([
      ['GET', '/console/api/issuer/v1/users'],
      ['GET', '/console/api/issuer/v1/groups'],
      [
        'POST',
        '/console/api/issuer/v1/users',
        { username: 'bob', password: 'correct horse battery', groups: ['a'] },
      ],
      ['DELETE', '/console/api/issuer/v1/users/bob'],
      ['POST', '/console/api/issuer/v1/users/bob/revoke-tokens'],
    ]);
  });

  it('keeps a username in its one path segment', async () => {
    const { api, calls } = recordingApi();
    await removeUser(api, '../groups');
    await revokeTokens(api, 'a/b?c');
    await removeUser(api, '..');
    expect(calls).toEqual([
      ['DELETE', '/console/api/issuer/v1/users/..%2Fgroups'],
      ['POST', '/console/api/issuer/v1/users/a%2Fb%3Fc/revoke-tokens'],
      ['DELETE', '/console/api/issuer/v1/users/%2E%2E'],
    ]);
  });
});
