import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Reads a secret kept in a 0600 file, creating it with a fresh random value if missing. */
export async function secretFromFile(file: string): Promise<{ value: string; created: boolean }> {
  try {
    return { value: (await readFile(file, 'utf8')).trim(), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = randomBytes(32).toString('base64url');
  await writeSecretFile(file, value);
  return { value, created: true };
}

/** Writes a secret readable by this user only (mode 0600, folder 0700). */
export async function writeSecretFile(file: string, value: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'w' });
}
