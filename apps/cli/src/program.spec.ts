import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CommanderError } from 'commander';

import { addUser, FileUserDirectory, UserDirectoryError } from '@ml-run/user-directory';

import { CliError } from './cli.errors';
import { createProgram } from './program';

const FAST = { scrypt: { N: 1024, r: 8, p: 1 } };
const PASSWORD = 'first-password-1';
const UNUSED = 'http://127.0.0.1:9';

describe(createProgram.name, () => {
  let dir: string;
  let file: string;
  let lines: string[];
  let readPassword: jest.Mock<Promise<string>, []>;

  const run = (...args: string[]) => {
    const sut = createProgram({
      dataDir: dir,
      urls: { builder: UNUSED, router: UNUSED, auth: UNUSED },
      out: (line) => void lines.push(line),
      status: { write: () => undefined },
      readPassword,
      readLoginPassword: () => Promise.reject(new Error('no login here')),
      python: 'python3',
      hashing: FAST,
    });
    sut.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    for (const command of sut.commands) {
      command.exitOverride().configureOutput({ writeErr: () => undefined });
      for (const sub of command.commands)
        sub.exitOverride().configureOutput({ writeErr: () => undefined });
    }
    return sut.parseAsync(args, { from: 'user' });
  };
  const authenticate = (username: string, password: string, at = file) =>
    new FileUserDirectory(at, FAST).authenticate(username, password);

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cli-'));
    file = path.join(dir, 'users.json');
    lines = [];
    readPassword = jest.fn().mockResolvedValue(PASSWORD);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('adds a user to <data dir>/users.json by default', async () => {
    await run('users', 'add', 'ada', '--groups', 'publishers, predictors');
    expect(await authenticate('ada', PASSWORD)).toMatchObject({
      groups: ['publishers', 'predictors'],
      scopes: ['models:write:*', 'predict:*'],
    });
    expect(lines).toEqual([`added user ada (groups: publishers, predictors) to ${file}`]);
  });

  it('works on the file given with --file, before or after the subcommand', async () => {
    const other = path.join(dir, 'other', 'people.json');
    await run('users', '--file', other, 'add', 'ada', '--groups', 'predictors');
    await run('users', 'add', 'bob', '--groups', 'predictors', '--file', other);
    expect(await authenticate('bob', PASSWORD, other)).toBeDefined();
    expect(await authenticate('ada', PASSWORD, other)).toBeDefined();
  });

  it('requires --groups for add', async () => {
    await expect(run('users', 'add', 'ada')).rejects.toBeInstanceOf(CommanderError);
  });

  it('refuses an existing user or unknown group before asking for a password', async () => {
    await run('users', 'add', 'ada', '--groups', 'publishers');
    readPassword.mockClear();
    await expect(run('users', 'add', 'ada', '--groups', 'publishers')).rejects.toThrow(
      /already exists/,
    );
    await expect(run('users', 'add', 'bob', '--groups', 'wizards')).rejects.toThrow(
      UserDirectoryError,
    );
    expect(readPassword).not.toHaveBeenCalled();
  });

  it('changes a password with passwd', async () => {
    await addUser(file, 'ada', PASSWORD, ['publishers'], FAST);
    readPassword.mockResolvedValue('second-password-2');
    await run('users', 'passwd', 'ada');
    expect(await authenticate('ada', PASSWORD)).toBeUndefined();
    expect(await authenticate('ada', 'second-password-2')).toBeDefined();
  });

  it('refuses passwd for an unknown user without asking for a password', async () => {
    await expect(run('users', 'passwd', 'nobody')).rejects.toThrow(CliError);
    expect(readPassword).not.toHaveBeenCalled();
  });

  it('removes a user', async () => {
    await addUser(file, 'ada', PASSWORD, ['publishers'], FAST);
    await run('users', 'remove', 'ada');
    expect(await authenticate('ada', PASSWORD)).toBeUndefined();
    await expect(run('users', 'remove', 'ada')).rejects.toThrow(/does not exist/);
  });

  it('offers every command', () => {
    const sut = createProgram({
      dataDir: dir,
      urls: { builder: UNUSED, router: UNUSED, auth: UNUSED },
      out: () => undefined,
      status: { write: () => undefined },
      readPassword,
      readLoginPassword: readPassword,
      python: 'python3',
    });
    expect(sut.commands.map((command) => command.name()).sort()).toEqual(
      [
        'alias',
        'capacity',
        'deploy',
        'init',
        'login',
        'logout',
        'models',
        'pack',
        'predict',
        'prediction',
        'push',
        'stream',
        'template',
        'test',
        'tokens',
        'undeploy',
        'users',
        'versions',
      ].sort(),
    );
  });

  it('lists users and their groups', async () => {
    await run('users', 'list');
    expect(lines[0]).toContain('no users');
    lines = [];
    await addUser(file, 'ada', PASSWORD, ['publishers', 'predictors'], FAST);
    await addUser(file, 'barbara', PASSWORD, ['admins'], FAST);
    await run('users', 'list');
    expect(lines).toEqual([
      'USERNAME  GROUPS',
      'ada       publishers,predictors',
      'barbara   admins',
    ]);
  });
});
