import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { open, type Entry, type ZipFile } from 'yauzl';

import { ContractError, ContractErrorCode } from '../contract.errors';
import type { ZipEntryInfo } from './zip-limits';

/**
 * One central-directory entry: what the rules see, and yauzl's handle to read it.
 *
 * @example
 * ```ts
 * const { info, entry } = rawEntries[0];
 * ```
 */
export type RawZipEntry = { info: ZipEntryInfo; entry: Entry };

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const UTF8_NAME_FLAG = 0x800;
const ENCRYPTED_FLAG = 0x1;

const corrupt = (reason: string) =>
  new ContractError(
    ContractErrorCode.ZipInvalid,
    `the bundle is not a valid zip file (${reason}): create it again with ml-run pack or zip -r`,
  );

/**
 * Opens a zip without decoding names (the platform's own rules apply), with lazy entries
 * and size validation. Throws `ZIP_INVALID` when it is not a zip.
 *
 * @example
 * ```ts
 * const zip = await openZip('iris.zip');
 * ```
 */
export function openZip(zipPath: string): Promise<ZipFile> {
  const options = {
    lazyEntries: true,
    decodeStrings: false,
    validateEntrySizes: true,
    autoClose: false,
  };
  return new Promise((resolve, reject) => {
    open(zipPath, options, (err, zip) => (err ? reject(corrupt(err.message)) : resolve(zip)));
  });
}

function toEntryInfo(entry: Entry): ZipEntryInfo {
  const flags = entry.generalPurposeBitFlag;
  const name = entry.fileNameRaw.toString(flags & UTF8_NAME_FLAG ? 'utf8' : 'latin1');
  return {
    name,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    isSymlink: ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK,
    isDirectory: name.endsWith('/'),
    isEncrypted: (flags & ENCRYPTED_FLAG) !== 0,
  };
}

/**
 * Reads the whole central directory (no entry data).
 *
 * @example
 * ```ts
 * const entries = await readCentralDirectory(zip);
 * ```
 */
export function readCentralDirectory(zip: ZipFile): Promise<RawZipEntry[]> {
  const entries: RawZipEntry[] = [];
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      entries.push({ info: toEntryInfo(entry), entry });
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', (err: Error) => reject(corrupt(err.message)));
    zip.readEntry();
  });
}

async function openEntry(zip: ZipFile, raw: RawZipEntry): Promise<Readable> {
  try {
    return await zip.openReadStreamPromise(raw.entry);
  } catch (err) {
    throw corrupt(`${raw.info.name}: ${(err as Error).message}`);
  }
}

// Real bytes may not exceed the header's size: the limits were checked against the header.
async function consumeEntry(
  zip: ZipFile,
  raw: RawZipEntry,
  onChunk: (chunk: Buffer) => void,
): Promise<void> {
  const stream = await openEntry(zip, raw);
  let seen = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > raw.info.uncompressedSize)
        throw corrupt(`${raw.info.name} is larger than its header says`);
      onChunk(chunk);
    }
  } catch (err) {
    stream.destroy();
    throw err instanceof ContractError
      ? err
      : corrupt(`${raw.info.name}: ${(err as Error).message}`);
  }
}

/**
 * sha256 (hex) of an entry's content; `ZIP_INVALID` if it holds more bytes than its header says.
 *
 * @example
 * ```ts
 * const sha256 = await hashEntry(zip, raw);
 * ```
 */
export async function hashEntry(zip: ZipFile, raw: RawZipEntry): Promise<string> {
  const hash = createHash('sha256');
  await consumeEntry(zip, raw, (chunk) => hash.update(chunk));
  return hash.digest('hex');
}

/**
 * An entry's content as UTF-8 text; `ZIP_INVALID` if it holds more bytes than its header says.
 *
 * @example
 * ```ts
 * const yamlText = await readEntryText(zip, manifestEntry);
 * ```
 */
export async function readEntryText(zip: ZipFile, raw: RawZipEntry): Promise<string> {
  const chunks: Buffer[] = [];
  await consumeEntry(zip, raw, (chunk) => chunks.push(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
