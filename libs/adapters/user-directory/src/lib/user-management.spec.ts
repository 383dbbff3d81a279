import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { verifyPassword } from './password-hash';
import { UserDirectoryErrorCode } from './user-directory.errors';
import {
  addUser,
  bootstrapAdmin,
  checkNewUser,
  ensureUsersFile,
  listUsers,
  removeUser,
  setPassword,
} from './user-management';

const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };
const PASSWORD = 'correct horse battery';

type FileJson = {
  version: number;
  groups: Record<string, string[]>;
  users: Record<string, { passwordHash: string; groups: string[] }>;
};

describe('user management', () => {
  let dir: string;
  let file: string;
  const read = async () => JSON.parse(await readFile(file, 'utf8')) as FileJson;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'users-'));
    file = path.join(dir, 'nested', 'users.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  describe(ensureUsersFile.name, () => {
    it('creates the file with the default groups, no users, owner-only', async () => {
      expect(await ensureUsersFile(file)).toBe(true);
      expect(await read()).toEqual({
        version: 1,
        groups: {
          admins: ['admin'],
          predictors: ['predict:*'],
          publishers: ['models:write:*', 'predict:*'],
        },
        users: {},
      });
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    });

    it('leaves an existing file alone', async () => {
      await addUser(file, 'ada', PASSWORD, ['publishers'], FAST);
      expect(await ensureUsersFile(file)).toBe(false);
      expect(Object.keys((await read()).users)).toEqual(['ada']);
    });
  });

  describe(addUser.name, () => {
    it('stores an scrypt hash of the password, never the password', async () => {
      await addUser(file, 'ada', PASSWORD, ['publishers', 'predictors'], FAST);
      const { users } = await read();
      expect(users['ada']?.groups).toEqual(['publishers', 'predictors']);
      expect(users['ada']?.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$/);
      expect(await verifyPassword(users['ada']?.passwordHash ?? '', PASSWORD)).toBe(true);
      expect(await readFile(file, 'utf8')).not.toContain(PASSWORD);
    });

    it('leaves no temp files behind', async () => {
      await addUser(file, 'ada', PASSWORD, ['publishers'], FAST);
      await addUser(file, 'bob', PASSWORD, ['predictors'], FAST);
      const { readdir } = await import('node:fs/promises');
      expect(await readdir(path.dirname(file))).toEqual(['users.json']);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    });

    it.each([
      ['Ada', UserDirectoryErrorCode.InvalidUsername],
      ['1ada', UserDirectoryErrorCode.InvalidUsername],
      ['a'.repeat(65), UserDirectoryErrorCode.InvalidUsername],
    ])('refuses the username %p', async (username, code) => {
      await expect(addUser(file, username, PASSWORD, [], FAST)).rejects.toMatchObject({ code });
    });

    it('refuses a password under 12 characters', async () => {
      await expect(addUser(file, 'ada', 'short pass', [], FAST)).rejects.toMatchObject({
        code: UserDirectoryErrorCode.WeakPassword,
      });
    });

    it('refuses a group that does not exist, naming the known ones', async () => {
      await expect(addUser(file, 'ada', PASSWORD, ['wizards'], FAST)).rejects.toMatchObject({
        code: UserDirectoryErrorCode.UnknownGroup,
        message: expect.stringContaining('admins, predictors, publishers'),
      });
    });

    it('refuses a user that exists', async () => {
      await addUser(file, 'ada', PASSWORD, [], FAST);
      await expect(addUser(file, 'ada', PASSWORD, [], FAST)).rejects.toMatchObject({
        code: UserDirectoryErrorCode.UserExists,
      });
    });

    it('reports a corrupt file instead of overwriting it', async () => {
      await ensureUsersFile(file);
      await writeFile(file, '{"version":1,"groups":{},"users":{"ada":{"groups":[]}}}');
      await expect(addUser(file, 'bob', PASSWORD, [], FAST)).rejects.toMatchObject({
        code: UserDirectoryErrorCode.UsersFileInvalid,
        message: expect.stringContaining('users.ada.passwordHash'),
      });
    });
  });

  describe(checkNewUser.name, () => {
    it('accepts a new user before the file exists, and refuses what addUser would', async () => {
      await expect(checkNewUser(file, 'ada', ['publishers'])).resolves.toBeUndefined();
      await addUser(file, 'ada', PASSWORD, [], FAST);
      await expect(checkNewUser(file, 'ada', [])).rejects.toMatchObject({
        code: UserDirectoryErrorCode.UserExists,
      });
      await expect(checkNewUser(file, 'Bob', [])).rejects.toMatchObject({
        code: UserDirectoryErrorCode.InvalidUsername,
      });
      await expect(checkNewUser(file, 'bob', ['nope'])).rejects.toMatchObject({
        code: UserDirectoryErrorCode.UnknownGroup,
      });
    });
  });

  describe(removeUser.name, () => {
    it('removes a user and refuses one that does not exist', async () => {
      await addUser(file, 'ada', PASSWORD, [], FAST);
      await removeUser(file, 'ada');
      expect((await read()).users).toEqual({});
      await expect(removeUser(file, 'ada')).rejects.toMatchObject({
        code: UserDirectoryErrorCode.UserNotFound,
      });
    });
  });

  describe(setPassword.name, () => {
    it('replaces the hash and keeps the groups', async () => {
      await addUser(file, 'ada', PASSWORD, ['publishers'], FAST);
      await setPassword(file, 'ada', 'another good password', FAST);
      const ada = (await read()).users['ada'];
      expect(ada?.groups).toEqual(['publishers']);
      expect(await verifyPassword(ada?.passwordHash ?? '', 'another good password')).toBe(true);
    });

    it('refuses an unknown user', async () => {
      await expect(setPassword(file, 'nobody', PASSWORD, FAST)).rejects.toMatchObject({
        code: UserDirectoryErrorCode.UserNotFound,
      });
    });
  });

  describe(listUsers.name, () => {
    it('lists users sorted with their groups, and none before the file exists', async () => {
      expect(await listUsers(file)).toEqual([]);
      await addUser(file, 'bob', PASSWORD, ['predictors'], FAST);
      await addUser(file, 'ada', PASSWORD, ['publishers'], FAST);
      expect(await listUsers(file)).toEqual([
        { username: 'ada', groups: ['publishers'] },
        { username: 'bob', groups: ['predictors'] },
      ]);
    });
  });

  describe(bootstrapAdmin.name, () => {
    it('creates admin in group admins with the given password', async () => {
      expect(await bootstrapAdmin(file, PASSWORD, FAST)).toEqual({ created: true });
      const admin = (await read()).users['admin'];
      expect(admin?.groups).toEqual(['admins']);
      expect(await verifyPassword(admin?.passwordHash ?? '', PASSWORD)).toBe(true);
    });

    it('generates a 24-character base64url password when none is given', async () => {
      const sut = await bootstrapAdmin(file, undefined, FAST);
      expect(sut.created).toBe(true);
      expect(sut.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const hash = (await read()).users['admin']?.passwordHash ?? '';
      expect(await verifyPassword(hash, sut.generatedPassword ?? '')).toBe(true);
    });

    it('never overwrites an existing admin', async () => {
      await bootstrapAdmin(file, PASSWORD, FAST);
      const before = await read();
      expect(await bootstrapAdmin(file, 'a different password', FAST)).toEqual({
        created: false,
      });
      expect(await bootstrapAdmin(file, undefined, FAST)).toEqual({ created: false });
      expect(await read()).toEqual(before);
    });
  });
});
