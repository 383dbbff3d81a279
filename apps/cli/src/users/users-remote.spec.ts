import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { saveToken } from '../session/token-file';
import { cliHarness, type CliHarness } from '../testing/cli-harness';
import { startFakeServer, type FakeServer } from '../testing/fake-server';

const NOW = Date.parse('2026-11-28T12:00:00.000Z');

describe('ml-run users --remote', () => {
  let root: string;
  let issuer: FakeServer;
  let sut: CliHarness;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-users-remote-'));
    issuer = await startFakeServer({
      'GET /v1/users': () => ({
        json: {
          users: [
            { username: 'admin', groups: ['admins'] },
            { username: 'bob', groups: ['publishers', 'predictors'] },
          ],
          managedBy: 'file',
          editable: true,
        },
      }),
      'POST /v1/users': (req) => {
        const body = JSON.parse(req.body.toString()) as { username: string; groups: string[] };
        return { status: 201, json: { username: body.username, groups: body.groups } };
      },
      'DELETE /v1/users/bob': () => ({ status: 204 }),
      'DELETE /v1/users/admin': () => ({
        status: 409,
        json: {
          code: 'CANNOT_REMOVE_SELF',
          message: 'you are admin: an admin cannot remove themselves; ask another admin to do it',
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
      readPassword: () => Promise.resolve('carol-password-123'),
    });
  });
  afterEach(async () => {
    await issuer.close();
    await rm(root, { recursive: true, force: true });
  });

  it('lists the issuer’s users with the stored admin token', async () => {
    await sut.run('users', '--remote', 'list');
    expect(sut.lines).toEqual([
      'USERNAME  GROUPS',
      'admin     admins',
      'bob       publishers,predictors',
    ]);
    expect(issuer.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ['GET', '/v1/users', 'Bearer mlr_admin'],
    ]);
  });

  it('adds a user with the password it reads, and removes one', async () => {
    await sut.run('users', 'add', 'carol', '--groups', 'predictors', '--remote');
    await sut.run('users', 'remove', 'bob', '--remote');
    expect(sut.lines).toEqual([
      `added user carol (groups: predictors) at ${issuer.url}`,
      `removed user bob at ${issuer.url}; their tokens are revoked`,
    ]);
    expect(JSON.parse(issuer.requests[0]?.body.toString() ?? '')).toEqual({
      username: 'carol',
      password: 'carol-password-123',
      groups: ['predictors'],
    });
  });

  it('passes on the issuer’s sentence when it refuses', async () => {
    await expect(sut.run('users', 'remove', 'admin', '--remote')).rejects.toThrow(
      'an admin cannot remove themselves',
    );
  });

  it('has no remote passwd', async () => {
    await expect(sut.run('users', 'passwd', 'bob', '--remote')).rejects.toThrow('no --remote form');
    expect(issuer.requests).toEqual([]);
  });
});
