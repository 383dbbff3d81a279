import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

import type { CommandRunner, CommandSpec } from './command-runner.port';

/** The unprivileged account build commands run as (DESIGN.md §3 item 12). */
export const BUILD_USER = 'mlrun-model';

/**
 * The search path of a command run as BUILD_USER: system folders only. The builder's own
 * PATH may lead into its home (pyenv, nvm), which that account cannot enter.
 */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export type Account = { uid: number; gid: number };

/** How the runner starts a command: as whom, and the tools it uses to get there. */
export type SpawnRunnerOptions = {
  /** Default BUILD_USER; when it has no /etc/passwd entry, commands run as the builder. */
  user?: string;
  /** Default: this process's uid (only root can switch users). */
  builderUid?: number;
  /** Default: /etc/passwd. */
  passwdFile?: string;
  /** PATH of commands run as `user`; default SYSTEM_PATH. */
  path?: string;
};

/** The uid and gid of `user` in a passwd file, or undefined when it has no entry. */
export async function lookupAccount(user: string, passwdFile = '/etc/passwd') {
  const text = await readFile(passwdFile, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === user && uid !== undefined && gid !== undefined) {
      return { uid: Number(uid), gid: Number(gid) } satisfies Account;
    }
  }
  return undefined;
}

/**
 * The argv that runs `spec` as `account`: `setpriv` drops to its uid and gid with no
 * supplementary groups and no way back (no_new_privs), `unshare --net` first takes the
 * network away when the spec says so. Without an account: the command itself.
 */
export function launchArgv(spec: CommandSpec, account: Account | undefined): string[] {
  const command = [spec.command, ...spec.args];
  if (account === undefined) return command;
  const drop = [
    'setpriv',
    `--reuid=${account.uid}`,
    `--regid=${account.gid}`,
    '--clear-groups',
    '--no-new-privs',
    '--',
  ];
  const isolate = spec.network ? [] : ['unshare', '--net', '--'];
  return [...isolate, ...drop, ...command];
}

/**
 * Runs build commands as child processes, stdout and stderr merged into lines. When the
 * builder is root and BUILD_USER exists, each command runs as that user: the writable
 * folders are handed to it for the run and taken back after, everything else stays as
 * its permissions say (the builder's files: read-only to it), with the system PATH. Swap
 * it for the sandbox launcher (`@ml-run/sandbox`), which also confines what the command can see.
 */
export class SpawnCommandRunner implements CommandRunner {
  private readonly account: Promise<Account | undefined>;
  private readonly path: string;

  constructor(options: SpawnRunnerOptions = {}) {
    this.path = options.path ?? SYSTEM_PATH;
    const builderUid = options.builderUid ?? process.getuid?.() ?? -1;
    this.account =
      builderUid === 0
        ? lookupAccount(options.user ?? BUILD_USER, options.passwdFile)
        : Promise.resolve(undefined);
  }

  /** Who commands run as: undefined means as the builder itself. */
  runsAs(): Promise<Account | undefined> {
    return this.account;
  }

  async run(spec: CommandSpec): Promise<number> {
    const account = await this.account;
    if (account !== undefined) await chownAll(spec.writable, account);
    try {
      const env = account === undefined ? spec.env : { ...spec.env, PATH: this.path };
      return await spawnLines(launchArgv(spec, account), { ...spec, env });
    } finally {
      if (account !== undefined) {
        await chownAll(spec.writable, {
          uid: process.getuid?.() ?? 0,
          gid: process.getgid?.() ?? 0,
        });
      }
    }
  }
}

// chown -R -h: links themselves, never what they point to (the command may have made them).
async function chownAll(paths: readonly string[], account: Account): Promise<void> {
  if (paths.length === 0) return;
  const code = await spawnLines(
    ['chown', '-R', '-h', '-P', `${account.uid}:${account.gid}`, '--', ...paths],
    { cwd: '/', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }, onLine: () => undefined },
  );
  if (code !== 0) throw new Error(`cannot hand ${paths.join(', ')} to uid ${account.uid}`);
}

type SpawnSpec = Pick<CommandSpec, 'cwd' | 'env' | 'onLine' | 'signal'>;

function spawnLines(argv: readonly string[], spec: SpawnSpec): Promise<number> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: spec.cwd,
      env: { ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: spec.signal,
      killSignal: 'SIGKILL',
    });
    const outputs = [lines(child.stdout, spec.onLine), lines(child.stderr, spec.onLine)];
    child.once('error', (error) => {
      if (spec.signal?.aborted) resolve(-1);
      else reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.once('close', (code) => {
      void Promise.all(outputs).then(() => resolve(code ?? -1));
    });
  });
}

function lines(stream: Readable, onLine: (line: string) => void): Promise<void> {
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  reader.on('line', onLine);
  return new Promise((resolve) => reader.once('close', resolve));
}
