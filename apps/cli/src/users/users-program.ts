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

const PASSWORD_HELP = 'the password comes from MLRUN_PASSWORD, else stdin, else a prompt';

/** Where a users command acts: the local file, or the issuer with --remote. */
type Target = { remote: boolean; local: UsersContext };

export function registerUsersCommands(program: Command, deps: CliDeps): void {
  const users = program
    .command('users')
    .description("manage the auth-issuer's users (the local file, or --remote over HTTP)")
    .option('--file <path>', 'the users file', usersFilePath(deps.dataDir, deps.usersFile))
    .option(
      '--remote',
      'manage the users of the auth-issuer you logged in to (ml-run login as an admin), not a local file',
    );
  const target = (command: Command) => targetOf(command, deps);
  users
    .command('add <username>')
    .description(`add a user; ${PASSWORD_HELP}`)
    .requiredOption('--groups <groups>', 'comma-separated groups, e.g. publishers', parseGroups)
    .action((username: string, options: { groups: string[] }, command: Command) => {
      const { remote, local } = target(command);
      return remote
        ? usersAddRemote(deps, username, options.groups)
        : usersAdd(local, username, options.groups);
    });
  users
    .command('remove <username>')
    .description('remove a user (and revoke their tokens)')
    .action((username: string, _options: unknown, command: Command) => {
      const { remote, local } = target(command);
      return remote ? usersRemoveRemote(deps, username) : usersRemove(local, username);
    });
  registerPasswd(users, target);
  users
    .command('list')
    .description('list users and their groups')
    .action((_options: unknown, command: Command) => {
      const { remote, local } = target(command);
      return remote ? usersListRemote(deps) : usersList(local);
    });
}

function targetOf(command: Command, deps: CliDeps): Target {
  const options = command.optsWithGlobals<{ file: string; remote?: boolean }>();
  const file = expandHome(options.file);
  const { out, readPassword, hashing } = deps;
  return { remote: options.remote === true, local: { file, out, readPassword, hashing } };
}

function registerPasswd(users: Command, target: (command: Command) => Target): void {
  users
    .command('passwd <username>')
    .description(`set a user's password; ${PASSWORD_HELP}`)
    .action((username: string, _options: unknown, command: Command) => {
      const { remote, local } = target(command);
      if (remote) {
        throw new CliError(
          'users passwd has no --remote form: run it where the users file is, or remove and add the user',
        );
      }
      return usersPasswd(local, username);
    });
}
