import { stat } from 'node:fs/promises';

import { FileUserAdministration } from './file-user-administration';
import {
  DEFAULT_SCRYPT_PARAMS,
  dummyPasswordHash,
  verifyPassword,
  type ScryptParams,
} from './password-hash';
import type { DirectoryUser, UserAdministration, UserDirectory } from './user-directory.port';
import { readUsersFile, type UsersDocument } from './users-file';

export type FileUserDirectoryOptions = {
  /**
   * Cost of the dummy check for unknown users and of the hashes of users added through
   * `admin`; match the cost the file's hashes use (tests with cheap hashes pass cheap
   * params). Default N=32768, r=8, p=1.
   */
  scrypt?: ScryptParams;
  /** How often watchChanges looks at the file; default 500 ms. */
  watchIntervalMs?: number;
};

/**
 * Local users from a JSON users file. The file is read again whenever it changes on disk,
 * so `ml-run users add` takes effect without a restart.
 */
export class FileUserDirectory implements UserDirectory {
  private cached: { stamp: string; document: UsersDocument } | undefined;
  /** Versions of the file that let someone log in since the watcher last looked. */
  private readonly loggedInUnder = new Set<UsersDocument>();
  /** Whether a watcher drains loggedInUnder (without one, nothing would ever empty it). */
  private watched = false;
  private readonly dummyHash: string;
  private readonly watchIntervalMs: number;
  readonly admin: UserAdministration;

  constructor(
    readonly file: string,
    options: FileUserDirectoryOptions = {},
  ) {
    const scrypt = options.scrypt ?? DEFAULT_SCRYPT_PARAMS;
    this.dummyHash = dummyPasswordHash(scrypt);
    this.watchIntervalMs = options.watchIntervalMs ?? 500;
    this.admin = new FileUserAdministration(file, { scrypt });
  }

  // `ml-run users remove|passwd` (or an edit) rewrites the file: polling its stamp sees every
  // such change (fs.watch misses atomic renames on some file systems) at a cost of a stat.
  watchChanges(listener: (usernames: readonly string[]) => void): () => void {
    let checking = false;
    this.watched = true;
    // The watcher's own last view (a login may reload the file in between), starting from
    // what this directory has already read.
    let seen: UsersDocument | undefined = this.cached?.document;
    const check = async () => {
      if (checking) return;
      checking = true;
      try {
        const now = await this.document();
        // A version the watcher never saw may have let someone log in (a user added and
        // removed between two looks): what changed since it counts too.
        const before = [...(seen ? [seen] : []), ...this.loggedInUnder];
        this.loggedInUnder.clear();
        const changed = new Set(
          before.filter((then) => then !== now).flatMap((then) => changedUsers(then, now)),
        );
        seen = now;
        if (changed.size > 0) listener([...changed]);
      } catch {
        // An unreadable file changes no one's rights: authenticate reports it on use.
      } finally {
        checking = false;
      }
    };
    void check();
    const timer = setInterval(() => void check(), this.watchIntervalMs);
    timer.unref();
    return () => {
      clearInterval(timer);
      this.watched = false;
      this.loggedInUnder.clear();
    };
  }

  async authenticate(username: string, password: string): Promise<DirectoryUser | undefined> {
    const document = await this.document();
    const user = document.users.get(username);
    if (!user) {
      // Same work as a real check, so the answer time does not reveal who exists.
      await verifyPassword(this.dummyHash, password);
      return undefined;
    }
    if (!(await verifyPassword(user.passwordHash, password))) return undefined;
    if (this.watched) this.loggedInUnder.add(document);
    return { username, groups: [...user.groups], scopes: scopesOf(document, user.groups) };
  }

  private async document(): Promise<UsersDocument> {
    const info = await stat(this.file).catch(() => undefined);
    // inode changes on every atomic replace; mtime and size catch in-place edits.
    const stamp = info ? `${info.ino}:${info.mtimeMs}:${info.size}` : 'missing';
    if (this.cached?.stamp === stamp) return this.cached.document;
    const document = await readUsersFile(this.file);
    this.cached = { stamp, document };
    return document;
  }
}

/** Users gone from `after`, or whose password or scopes differ there. */
function changedUsers(before: UsersDocument, after: UsersDocument): string[] {
  const changed: string[] = [];
  for (const [name, user] of before.users) {
    const now = after.users.get(name);
    const same =
      now !== undefined &&
      now.passwordHash === user.passwordHash &&
      scopesOf(before, user.groups).join(' ') === scopesOf(after, now.groups).join(' ');
    if (!same) changed.push(name);
  }
  return changed;
}

/** The union of the groups' scopes, in first-seen order. */
function scopesOf(document: UsersDocument, groups: readonly string[]): string[] {
  return [...new Set(groups.flatMap((group) => document.groups.get(group) ?? []))];
}
