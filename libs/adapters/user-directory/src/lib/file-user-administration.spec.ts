import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { FileUserDirectory } from './file-user-directory';
import { UserDirectoryErrorCode } from './user-directory.errors';
import type { UserAdministration } from './user-directory.port';
import { addUser, listUsers } from './user-management';

const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };
const PASSWORD = 'correct horse battery';

describe('FileUserAdministration (FileUserDirectory.admin)', () => {
  let dir: string;
  let file: string;
  let directory: FileUserDirectory;
  let sut: UserAdministration;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'users-admin-'));
    file = path.join(dir, 'users.json');
    directory = new FileUserDirectory(file, FAST);
    sut = directory.admin;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lists no users and the default groups before the file exists', async () => {
    expect(sut.managedBy).toBe('file');
    expect(await sut.listUsers()).toEqual([]);
    expect((await sut.listGroups()).map((group) => group.name)).toEqual([
      'admins',
      'predictors',
      'publishers',
    ]);
  });

  it('adds a user who can log in with the scopes of their groups', async () => {
    expect(await sut.addUser?.('bob', PASSWORD, ['publishers', 'publishers'])).toEqual({
      username: 'bob',
      groups: ['publishers'],
    });
    expect(await directory.authenticate('bob', PASSWORD)).toEqual({
      username: 'bob',
      groups: ['publishers'],
      scopes: ['models:write:*', 'predict:*'],
    });
  });

  it('keeps every one of several additions made at once', async () => {
    const names = ['u1', 'u2', 'u3', 'u4', 'u5'];
    await Promise.all(names.map((name) => sut.addUser?.(name, PASSWORD, ['predictors'])));
    expect((await listUsers(file)).map((user) => user.username)).toEqual(names);
  });

  it('applies the CLI’s rules and goes on after a refused change', async () => {
    await expect(sut.addUser?.('bob', 'short', [])).rejects.toMatchObject({
      code: UserDirectoryErrorCode.WeakPassword,
    });
    await expect(sut.removeUser?.('nobody')).rejects.toMatchObject({
      code: UserDirectoryErrorCode.UserNotFound,
    });
    await sut.addUser?.('bob', PASSWORD, []);
    expect(await sut.listUsers()).toEqual([{ username: 'bob', groups: [] }]);
  });

  it('refuses to remove the last user holding the admin scope, and removes an admin who is not', async () => {
    await addUser(file, 'root', PASSWORD, ['admins'], FAST);
    await addUser(file, 'ada', PASSWORD, ['publishers'], FAST);
    await expect(sut.removeUser?.('root')).rejects.toMatchObject({
      code: UserDirectoryErrorCode.LastAdmin,
      message: expect.stringContaining('add another admin'),
    });
    await addUser(file, 'ops', PASSWORD, ['admins'], FAST);
    await sut.removeUser?.('root');
    await sut.removeUser?.('ada');
    expect(await sut.listUsers()).toEqual([{ username: 'ops', groups: ['admins'] }]);
  });

  it('tells the file’s change watcher about a user it removed', async () => {
    await addUser(file, 'bob', PASSWORD, ['publishers'], FAST);
    const changed: string[] = [];
    const watching = new FileUserDirectory(file, { ...FAST, watchIntervalMs: 20 });
    // The watcher's first look is its baseline: wait until it has read bob.
    await watching.authenticate('bob', PASSWORD);
    const stop = watching.watchChanges((usernames) => changed.push(...usernames));
    try {
      await sut.removeUser?.('bob');
      while (!changed.includes('bob')) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(changed).toEqual(['bob']);
    } finally {
      stop();
    }
  });
});
