import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ZipFile } from 'yazl';

const ROOT = path.resolve(__dirname, '../../../../..');

/** The example bundles in examples/. */
export const EXAMPLES = {
  echo: path.join(ROOT, 'examples/echo-node'),
  iris: path.join(ROOT, 'examples/iris-python'),
};

export type ZipFiles = Record<string, string | Buffer>;

/** Every file under `dir` (caches left out), by bundle path. */
export async function filesOf(dir: string): Promise<ZipFiles> {
  const files: ZipFiles = {};
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || entry.parentPath.includes('__pycache__')) continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full).split(path.sep).join('/')] = await readFile(full);
  }
  return files;
}

/** A zip of the files (a fixed mtime: the same files make the same bytes). */
export function zipOf(files: ZipFiles): Promise<Buffer> {
  const zip = new ZipFile();
  const mtime = new Date('2026-01-01T00:00:00Z');
  for (const name of Object.keys(files).sort()) {
    zip.addBuffer(Buffer.from(files[name] as string | Buffer), name, { mtime });
  }
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** An example bundle as a zip, with files replaced or added. */
export async function exampleZip(dir: string, changes: ZipFiles = {}): Promise<Buffer> {
  return zipOf({ ...(await filesOf(dir)), ...changes });
}

/**
 * Renames an entry by rewriting its name bytes (local and central headers) in place:
 * how a test makes entries yazl refuses to write ("../x"). Names must be the same length.
 */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  if (Buffer.byteLength(from) !== Buffer.byteLength(to)) throw new Error('lengths differ');
  const patched = Buffer.from(zip);
  const needle = Buffer.from(from);
  for (let at = patched.indexOf(needle); at !== -1; at = patched.indexOf(needle, at + 1)) {
    patched.write(to, at);
  }
  return patched;
}
