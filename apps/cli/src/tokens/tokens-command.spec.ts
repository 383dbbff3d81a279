import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { saveToken } from '../session/token-file';
import { cliHarness, type CliHarness } from '../testing/cli-harness';
import { startFakeServer, type FakeServer } from '../testing/fake-server';
import { registerTokensCommands } from './tokens-command';

const NOW = Date.parse('2026-11-28T12:00:00.000Z');

describe(registerTokensCommands.name, () => {
  let root: string;
  let issuer: FakeServer;
  let sut: CliHarness;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-tokens-'));
    issuer = await startFakeServer({
      'POST /v1/auth/users/bob/revoke-tokens': () => ({
        json: { sub: 'bob', notBefore: '2026-11-28T12:00:00.000Z' },
      }),
      'POST /v1/auth/users/pat/revoke-tokens': () => ({
        status: 403,
        json: {
          code: 'INSUFFICIENT_SCOPE',
          message: 'this needs the admin scope, which the token lacks',
        },
      }),
    });
    const dataDir = path.join(root, 'data');
    await saveToken(dataDir, {
      token: 'mlr_admin',
      expiresAt: new Date(NOW + 3_600_000).toISOString(),
      authUrl: issuer.url,
      user: 'admin',
    });
    sut = cliHarness({
      dataDir,
      urls: { builder: '', router: '', auth: issuer.url },
      now: () => NOW,
    });
  });
  afterEach(async () => {
    await issuer.close();
    await rm(root, { recursive: true, force: true });
  });

  it("revokes a user's tokens with the stored admin token", async () => {
    await sut.run('tokens', 'revoke', '--user', 'bob');
    expect(sut.lines).toEqual([
      'revoked every token bob held up to 2026-11-28T12:00:00.000Z; new logins work',
    ]);
    expect(issuer.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/v1/auth/users/bob/revoke-tokens', 'Bearer mlr_admin'],
    ]);
  });

  it('says which scope is missing when the token is not an admin’s', async () => {
    await expect(sut.run('tokens', 'revoke', '--user', 'pat')).rejects.toThrow('admin scope');
  });
});
