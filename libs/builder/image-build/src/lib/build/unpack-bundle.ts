import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { open, type Entry, type ZipFile } from 'yauzl';

import { BUNDLE_PATH_PATTERN, normalizeBundlePath } from '@ml-run/model-contract';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const UTF8_NAME_FLAG = 0x800;
const SAFE_PATH = new RegExp(BUNDLE_PATH_PATTERN);

/** A bundle that cannot be unpacked safely (it passed inspectBundle, so: tampered or a bug). */
export class UnpackError extends Error {
  override readonly name = 'UnpackError';
}

/**
 * Unpacks a bundle zip that inspectBundle accepted into `targetDir`, replacing what was
 * there: only regular files, folders created here, every path checked to stay inside.
 * Unpacks into a temp folder first, so `targetDir` is never half written.
 */
export async function unpackBundle(zipPath: string, targetDir: string): Promise<number> {
  const temp = `${targetDir}.${randomUUID()}.tmp`;
  await mkdir(temp, { recursive: true });
  try {
    const files = await extractAll(zipPath, temp);
    await rm(targetDir, { recursive: true, force: true });
    await rename(temp, targetDir);
    return files;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

function openZip(zipPath: string): Promise<ZipFile> {
  const options = {
    lazyEntries: true,
    decodeStrings: false,
    validateEntrySizes: true,
    autoClose: false,
  };
  return new Promise((resolve, reject) => {
    open(zipPath, options, (error, zip) => (error ? reject(error) : resolve(zip)));
  });
}

function readEntries(zip: ZipFile): Promise<Entry[]> {
  const list: Entry[] = [];
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      list.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(list));
    zip.once('error', reject);
    zip.readEntry();
  });
}

async function extractAll(zipPath: string, root: string): Promise<number> {
  const zip = await openZip(zipPath);
  let files = 0;
  try {
    for (const entry of await readEntries(zip)) {
      if (await extractEntry(zip, entry, root)) files += 1;
    }
  } finally {
    zip.close();
  }
  return files;
}

// Returns whether a file was written (folders are skipped: they are made as needed).
async function extractEntry(zip: ZipFile, entry: Entry, root: string): Promise<boolean> {
  const rawName = entry.fileNameRaw.toString(
    entry.generalPurposeBitFlag & UTF8_NAME_FLAG ? 'utf8' : 'latin1',
  );
  if (rawName.endsWith('/')) return false;
  const mode = entry.externalFileAttributes >>> 16;
  const type = mode & S_IFMT;
  if (type !== 0 && type !== S_IFREG) {
    throw new UnpackError(`${rawName} is not a regular file; bundles hold only regular files`);
  }
  const target = safeTarget(root, rawName);
  await mkdir(path.dirname(target), { recursive: true });
  const source: Readable = await zip.openReadStreamPromise(entry);
  // 'wx': never overwrite (a duplicate name) and never follow an existing link.
  const sink = createWriteStream(target, { flags: 'wx', mode: mode & 0o111 ? 0o755 : 0o644 });
  await pipeline(source, sink);
  return true;
}

// inspectBundle refused these already; checked again because this is where a bad path
// would write outside the bundle folder.
function safeTarget(root: string, rawName: string): string {
  if (!SAFE_PATH.test(rawName))
    throw new UnpackError(`unsafe entry name ${JSON.stringify(rawName)}`);
  const target = path.resolve(root, normalizeBundlePath(rawName));
  if (!target.startsWith(`${path.resolve(root)}${path.sep}`)) {
    throw new UnpackError(`entry ${JSON.stringify(rawName)} points outside the bundle`);
  }
  return target;
}
