import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import {
  deleteToken,
  NOT_LOGGED_IN,
  readToken,
  requireToken,
  saveToken,
  tokenFilePath,
  type StoredToken,
} from './token-file';

const NOW = Date.parse('2026-11-28T12:00:00.000Z');
const stored = (expiresAt: string): StoredToken => ({
  token: 'mlr_secret',
  expiresAt,
  authUrl: 'http://127.0.0.1:8091',
  user: 'ada',
});

describe(saveToken.name, () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cli-token-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes the file with mode 0600 in a new data dir with mode 0700', async () => {
    const dataDir = path.join(root, 'data');
    const file = await saveToken(dataDir, stored('2026-11-28T13:00:00.000Z'));
    expect(file).toBe(path.join(dataDir, 'cli-token.json'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(stored('2026-11-28T13:00:00.000Z'));
  });

  it('tightens the mode of a token file that was readable by others', async () => {
    await writeFile(tokenFilePath(root), '{}', { mode: 0o644 });
    await saveToken(root, stored('2026-11-28T13:00:00.000Z'));
    expect((await stat(tokenFilePath(root))).mode & 0o777).toBe(0o600);
  });

  it('gives back a valid token', async () => {
    await saveToken(root, stored('2026-11-28T13:00:00.000Z'));
    expect(await requireToken(root, NOW)).toMatchObject({ token: 'mlr_secret', user: 'ada' });
  });

  it('refuses an expired token, a missing file and a malformed one', async () => {
    await expect(requireToken(root, NOW)).rejects.toThrow(NOT_LOGGED_IN);
    await saveToken(root, stored('2026-11-28T11:59:59.000Z'));
    await expect(requireToken(root, NOW)).rejects.toThrow(NOT_LOGGED_IN);
    expect(await readToken(root)).toBeDefined(); // logout still finds it to revoke
    await writeFile(tokenFilePath(root), 'not json');
    await expect(requireToken(root, NOW)).rejects.toThrow(NOT_LOGGED_IN);
  });

  it('treats a token about to expire as expired', async () => {
    await saveToken(root, stored('2026-11-28T12:00:02.000Z'));
    await expect(requireToken(root, NOW)).rejects.toThrow(NOT_LOGGED_IN);
  });

  it('deletes the file, and says whether there was one', async () => {
    await saveToken(root, stored('2026-11-28T13:00:00.000Z'));
    expect(await deleteToken(root)).toBe(true);
    expect(await deleteToken(root)).toBe(false);
    expect(await readToken(root)).toBeUndefined();
  });
});
