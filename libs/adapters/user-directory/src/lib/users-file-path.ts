import os from 'node:os';
import path from 'node:path';

/** `~` or `~/x` expanded to the user's home directory; the result is absolute. */
export function expandHome(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/')) return path.join(os.homedir(), p.slice(2));
  return path.resolve(p);
}

/** The users file: the one given, else `<dataDir>/users.json`; `~` expanded in both. */
export function usersFilePath(dataDir: string, usersFile?: string): string {
  return usersFile ? expandHome(usersFile) : path.join(expandHome(dataDir), 'users.json');
}
