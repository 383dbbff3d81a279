import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Logger } from '@nestjs/common';

// The file registry's JSON files on disk: written atomically and durably, read tolerantly
// (an unreadable file is skipped, not fatal), and listed by folder.

/** Suffix of files being written; readers never look at them. */
export const TEMP_SUFFIX = '.tmp';

const logger = new Logger('JsonFiles');

/**
 * Replaces `file` with `value` as JSON so that a crash at any point leaves either the old
 * or the new content: write a temp file, fsync it, rename it over, fsync the folder.
 */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${randomUUID()}${TEMP_SUFFIX}`;
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDir(dir);
}

/** fsync of a folder makes a rename in it durable; some platforms refuse, which is fine. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: the rename itself is already atomic.
  }
}

/** The parsed file, or undefined when it is missing or unreadable (logged: never fatal). */
export async function readJson<T>(file: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    logger.warn({ file, err: error }, 'registry file unreadable; ignored');
    return undefined;
  }
}

/** Names of the `.json` files in a folder (temp files excluded), sorted; [] if none. */
export async function listJsonFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** Names of the sub-folders of a folder, sorted; [] if it does not exist. */
export async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

export function isMissing(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT';
}
