import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ZipFile } from 'yazl';

/**
 * Zips a model directory the way a bundle is laid out (its contents at the root), with
 * some files replaced or added: `overrides` maps a bundle path to new content.
 */
export async function zipModel(
  dir: string,
  overrides: Record<string, string> = {},
): Promise<string> {
  const zip = new ZipFile();
  const entries = await listFiles(dir);
  for (const entry of entries) {
    if (entry in overrides) continue;
    zip.addBuffer(await readFile(path.join(dir, entry)), entry, { mtime: new Date(0) });
  }
  for (const [entry, content] of Object.entries(overrides)) {
    zip.addBuffer(Buffer.from(content), entry, { mtime: new Date(0) });
  }
  zip.end();
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'mlrun-bundle-')), 'bundle.zip');
  const out = zip.outputStream.pipe(createWriteStream(file));
  await once(out, 'finish');
  return file;
}

// Bundle files only: tests and training material stay out, as `ml-run pack` would do.
const SKIPPED = new Set(['tests', 'training', '__pycache__', 'README.md']);

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const name of await readdir(path.join(dir, prefix))) {
    if (SKIPPED.has(name)) continue;
    const relative = prefix ? `${prefix}/${name}` : name;
    const info = await stat(path.join(dir, relative));
    if (info.isDirectory()) files.push(...(await listFiles(dir, relative)));
    else files.push(relative);
  }
  return files.sort();
}

/**
 * A bundle with an entry named `../evil.py` (zip slip). Zip writers refuse such names, so
 * the entry is written as `zz/evil.py` and renamed in place (same length, both headers).
 */
export async function zipSlipBundle(dir: string): Promise<Buffer> {
  const bytes = await readFile(await zipModel(dir, { 'zz/evil.py': 'print("escaped")' }));
  const [from, to] = [Buffer.from('zz/evil.py'), Buffer.from('../evil.py')];
  for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1)) to.copy(bytes, at);
  return bytes;
}
