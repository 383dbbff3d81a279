import type { Command } from 'commander';

import { expandHome, usersFilePath } from '@ml-run/user-directory';

import type { CliDeps } from '../cli-deps';
import { CliError } from '../cli.errors';
import {
  parseGroups,
  usersAdd,
  usersList,
  usersPasswd,
  usersRemove,
  type UsersContext,
} from './users-commands';
import { usersAddRemote, usersListRemote, usersRemoveRemote } from './users-remote';

export function registerUsersCommands(program: Command, deps: CliDeps): void {
  const users = program
    .command('users')
    .description("manage the auth-issuer's local users (takes effect without a restart)")
    .option('--file <path>', 'the users file', usersFilePath(deps.dataDir, deps.usersFile))
    .option(
      '--remote',
      'manage the users of the auth-issuer you logged in to (ml-run login as an admin), not a local file',
    );
  const remote = (command: Command) =>
    command.optsWithGlobals<{ remote?: boolean }>().remote === true;
  const ctx = (command: Command): UsersContext => ({
    file: expandHome(command.optsWithGlobals<{ file: string }>().file),
    out: deps.out,
    readPassword: deps.readPassword,
    hashing: deps.hashing,
  });
  const passwordHelp = 'the password comes from MLRUN_PASSWORD, else stdin, else a prompt';
  users
    .command('add <username>')
    .description(`add a user; ${passwordHelp}`)
    .requiredOption('--groups <groups>', 'comma-separated groups, e.g. publishers', parseGroups)
    .action((username: string, options: { groups: string[] }, command: Command) =>
      remote(command)
        ? usersAddRemote(deps, username, options.groups)
        : usersAdd(ctx(command), username, options.groups),
    );
  users
    .command('remove <username>')
    .description('remove a user')
    .action((username: string, _options: unknown, command: Command) =>
      remote(command) ? usersRemoveRemote(deps, username) : usersRemove(ctx(command), username),
    );
  users
    .command('passwd <username>')
    .description(`set a user's password; ${passwordHelp}`)
    .action((username: string, _options: unknown, command: Command) => {
      if (remote(command)) {
        throw new CliError(
          'users passwd has no --remote form: run it where the users file is, or remove and add the user',
        );
      }
      return usersPasswd(ctx(command), username);
    });
  users
    .command('list')
    .description('list users and their groups')
    .action((_options: unknown, command: Command) =>
      remote(command) ? usersListRemote(deps) : usersList(ctx(command)),
    );
}
