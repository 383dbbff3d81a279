import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { NOT_LOGGED_IN, readToken, tokenFilePath } from '../session/token-file';
import { cliHarness, type CliHarness } from '../testing/cli-harness';
import { startFakeServer, type FakeServer } from '../testing/fake-server';
import { registerLoginCommands } from './login-command';

const NOW = Date.parse('2026-11-28T12:00:00.000Z');

describe(registerLoginCommands.name, () => {
  let root: string;
  let issuer: FakeServer;
  let sut: CliHarness;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-login-'));
    issuer = await startFakeServer({
      'POST /v1/auth/token': (req) => {
        const body = JSON.parse(req.body.toString()) as Record<string, string>;
        if (body['password'] !== 'right-password') {
          return {
            status: 401,
            json: { code: 'INVALID_GRANT', message: 'wrong username or password' },
          };
        }
        const answer = {
          access_token: 'mlr_new',
          token_type: 'Bearer',
          expires_in: 3600,
          scope: 'predict:*',
        };
        return { json: answer };
      },
      'POST /v1/auth/revoke': () => ({ json: {} }),
    });
    sut = cliHarness({
      dataDir: path.join(root, 'data'),
      urls: { builder: '', router: '', auth: issuer.url },
      readLoginPassword: () => Promise.resolve('right-password'),
      now: () => NOW,
    });
  });
  afterEach(async () => {
    await issuer.close();
    await rm(root, { recursive: true, force: true });
  });

  it('sends a password grant and stores the token with mode 0600', async () => {
    await sut.run('login', '-u', 'ada');
    expect(JSON.parse(issuer.requests[0]?.body.toString() ?? '')).toEqual({
      grant_type: 'password',
      username: 'ada',
      password: 'right-password',
    });
    const file = tokenFilePath(path.join(root, 'data'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readToken(path.join(root, 'data'))).toEqual({
      token: 'mlr_new',
      expiresAt: '2026-11-28T13:00:00.000Z',
      authUrl: issuer.url,
      user: 'ada',
    });
    expect(sut.lines[0]).toBe(
      'logged in as ada (scope: predict:*); the token expires 2026-11-28T13:00:00.000Z',
    );
  });

  it('stores nothing when the password is wrong', async () => {
    sut.deps.readLoginPassword = () => Promise.resolve('wrong');
    await expect(sut.run('login', '-u', 'ada')).rejects.toThrow('error INVALID_GRANT');
    expect(await readToken(path.join(root, 'data'))).toBeUndefined();
  });

  it('revokes the token at the issuer and deletes it on logout', async () => {
    await sut.run('login', '-u', 'ada');
    await sut.run('logout');
    const revoke = issuer.requests.find((r) => r.path === '/v1/auth/revoke');
    expect(JSON.parse(revoke?.body.toString() ?? '')).toMatchObject({ token: 'mlr_new' });
    expect(await readToken(path.join(root, 'data'))).toBeUndefined();
    await expect(sut.run('models')).rejects.toThrow(NOT_LOGGED_IN);
  });

  it('deletes the token even when the issuer is down, and says it is still valid', async () => {
    await sut.run('login', '-u', 'ada');
    await issuer.close();
    await expect(sut.run('logout')).rejects.toThrow(
      /cannot reach the auth-issuer .* stays valid until/,
    );
    expect(await readToken(path.join(root, 'data'))).toBeUndefined();
  });
});
