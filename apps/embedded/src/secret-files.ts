import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes a secret readable by this user only (mode 0600, folder 0700). */
export async function writeSecretFile(file: string, value: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'w' });
}
