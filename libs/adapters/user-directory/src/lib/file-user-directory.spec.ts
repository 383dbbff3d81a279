import crypto from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { FileUserDirectory } from './file-user-directory';
import { UserDirectoryErrorCode } from './user-directory.errors';
import { addUser, ensureUsersFile, removeUser, setPassword } from './user-management';

const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };
const PASSWORD = 'correct horse battery';

describe(FileUserDirectory.name, () => {
  let dir: string;
  let file: string;
  let sut: FileUserDirectory;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'users-'));
    file = path.join(dir, 'users.json');
    await addUser(file, 'ada', PASSWORD, ['publishers', 'predictors'], FAST);
    sut = new FileUserDirectory(file, FAST);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('answers a user with the union of their groups scopes', async () => {
    expect(await sut.authenticate('ada', PASSWORD)).toEqual({
      username: 'ada',
      groups: ['publishers', 'predictors'],
      scopes: ['models:write:*', 'predict:*'],
    });
  });

  it('reads a file from before models had owners: its models:write is models:write:*', async () => {
    const stored = JSON.parse(await readFile(file, 'utf8'));
    stored.groups.publishers = ['models:write', 'models:write:*', 'predict:*'];
    await writeFile(file, JSON.stringify(stored));
    expect(await new FileUserDirectory(file, FAST).authenticate('ada', PASSWORD)).toMatchObject({
      scopes: ['models:write:*', 'predict:*'],
    });
  });

  it('answers undefined for a wrong password and for an unknown user alike', async () => {
    expect(await sut.authenticate('ada', 'wrong password!')).toBeUndefined();
    expect(await sut.authenticate('nobody', PASSWORD)).toBeUndefined();
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'finds no user named %s',
    async (username) => {
      expect(await sut.authenticate(username, PASSWORD)).toBeUndefined();
    },
  );

  it('sees users added and removed after it started, without a restart', async () => {
    expect(await sut.authenticate('bob', PASSWORD)).toBeUndefined();
    await addUser(file, 'bob', PASSWORD, ['predictors'], FAST);
    expect(await sut.authenticate('bob', PASSWORD)).toMatchObject({ scopes: ['predict:*'] });
    await removeUser(file, 'ada');
    expect(await sut.authenticate('ada', PASSWORD)).toBeUndefined();
  });

  it('grants per-model scopes a group lists', async () => {
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.groups['iris-users'] = ['predict:iris'];
    json.users.ada.groups = ['iris-users'];
    await writeFile(file, JSON.stringify(json));
    expect(await sut.authenticate('ada', PASSWORD)).toMatchObject({ scopes: ['predict:iris'] });
  });

  it('refuses a file with an invalid scope, naming the field', async () => {
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.groups.publishers = ['predict:Iris'];
    await writeFile(file, JSON.stringify(json));
    await expect(sut.authenticate('ada', PASSWORD)).rejects.toMatchObject({
      code: UserDirectoryErrorCode.UsersFileInvalid,
      message: expect.stringContaining('groups.publishers.0'),
    });
  });

  it('refuses a user in a group the file does not define', async () => {
    const json = JSON.parse(await readFile(file, 'utf8'));
    delete json.groups.predictors;
    await writeFile(file, JSON.stringify(json));
    await expect(sut.authenticate('ada', PASSWORD)).rejects.toMatchObject({
      message: expect.stringContaining('unknown group(s) predictors'),
    });
  });

  it('says so when the file is missing', async () => {
    const missing = new FileUserDirectory(path.join(dir, 'none.json'), FAST);
    await expect(missing.authenticate('ada', PASSWORD)).rejects.toMatchObject({
      code: UserDirectoryErrorCode.UsersFileMissing,
    });
  });

  it('does the same scrypt work for an unknown user as for a wrong password', async () => {
    // The work, not a stopwatch: a clock on a busy machine proves nothing either way.
    const slowFile = path.join(dir, 'slow.json');
    await ensureUsersFile(slowFile);
    await addUser(slowFile, 'ada', PASSWORD, [], {});
    const slow = new FileUserDirectory(slowFile);
    const scrypt = jest.spyOn(crypto, 'scrypt');
    const work = async (username: string) => {
      scrypt.mockClear();
      expect(await slow.authenticate(username, 'wrong password!')).toBeUndefined();
      // scrypt(password, salt, keylen, options, callback): what it costs, not what it hashes.
      return scrypt.mock.calls.map((call) => [call[0], call[2], call[3]]);
    };
    try {
      const known = await work('ada');
      expect(known).toHaveLength(1);
      expect(await work('nobody')).toEqual(known);
    } finally {
      scrypt.mockRestore();
    }
  });

  describe('watchChanges', () => {
    let seen: string[][];
    let stop: () => void;

    beforeEach(async () => {
      await addUser(file, 'bob', PASSWORD, ['predictors'], FAST);
      await addUser(file, 'cy', PASSWORD, ['predictors'], FAST);
      sut = new FileUserDirectory(file, { ...FAST, watchIntervalMs: 20 });
      // Read once, so the watcher starts from this version of the file.
      await sut.authenticate('ada', PASSWORD);
      seen = [];
      stop = sut.watchChanges((names) => void seen.push([...names]));
    });
    afterEach(() => stop());

    const waitFor = async (names: string[]) => {
      await until(() => seen.some((batch) => names.every((n) => batch.includes(n))));
      return seen.flat();
    };

    it('names a user removed, even when a login reloaded the file first', async () => {
      await removeUser(file, 'bob');
      await sut.authenticate('ada', PASSWORD);
      expect(await waitFor(['bob'])).toEqual(['bob']);
    });

    it('names a user added and removed between two looks, who logged in meanwhile', async () => {
      stop();
      // Only the watcher's interval is faked: the test says when it looks again.
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'Date'] });
      try {
        stop = sut.watchChanges((names) => void seen.push([...names]));
        await new Promise((resolve) => setTimeout(resolve, 100)); // its first look
        await addUser(file, 'dan', PASSWORD, ['predictors'], FAST);
        expect(await sut.authenticate('dan', PASSWORD)).toBeDefined();
        await removeUser(file, 'dan');
        jest.advanceTimersByTime(20);
        expect(await waitFor(['dan'])).toContain('dan');
      } finally {
        jest.useRealTimers();
      }
    });

    it('names a user whose password changed', async () => {
      await setPassword(file, 'cy', 'another password!', FAST);
      expect(await waitFor(['cy'])).toEqual(['cy']);
    });

    it('names every user whose scopes a group change altered', async () => {
      const document = JSON.parse(await readFile(file, 'utf8'));
      document.groups.predictors = ['predict:iris'];
      await writeFile(file, JSON.stringify(document));
      // ada is in predictors too: her union of scopes changed with it.
      expect((await waitFor(['ada', 'bob', 'cy'])).sort()).toEqual(['ada', 'bob', 'cy']);
    });
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!condition()) throw new Error('condition not met in 5 s');
}
