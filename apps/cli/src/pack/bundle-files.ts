import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

import { CliError } from '../cli.errors';

/** Names left out of a bundle wherever they appear: VCS data, installed packages, caches. */
export const PACK_IGNORED_NAMES: readonly string[] = [
  '.git',
  'node_modules',
  '__pycache__',
  '.DS_Store',
];
/** File name endings left out of a bundle (compiled python). */
export const PACK_IGNORED_SUFFIXES: readonly string[] = ['.pyc'];

/** A file or empty folder going into the zip, by its "/"-separated path inside the bundle. */
export type BundleFile = {
  name: string;
  absolute: string;
  directory: boolean;
  executable: boolean;
};

export function isIgnored(name: string): boolean {
  return (
    PACK_IGNORED_NAMES.includes(name) ||
    PACK_IGNORED_SUFFIXES.some((suffix) => name.endsWith(suffix))
  );
}

/**
 * Every file to pack under `dir`, sorted by name (code-unit order, so the same tree always
 * gives the same list). Symlinks and special files are refused; `skip` holds absolute
 * paths to leave out (the output zip when it is inside the folder).
 */
export async function listBundleFiles(
  dir: string,
  skip: ReadonlySet<string> = new Set(),
): Promise<BundleFile[]> {
  const files = await walk(path.resolve(dir), '', skip);
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function walk(
  root: string,
  prefix: string,
  skip: ReadonlySet<string>,
): Promise<BundleFile[]> {
  const here = path.join(root, prefix);
  const files: BundleFile[] = [];
  for (const dirent of await readdir(here, { withFileTypes: true })) {
    const name = prefix === '' ? dirent.name : `${prefix}/${dirent.name}`;
    const absolute = path.join(here, dirent.name);
    if (isIgnored(dirent.name) || skip.has(absolute)) continue;
    if (dirent.isSymbolicLink()) throw refused(name, 'a symlink');
    if (dirent.isDirectory()) {
      const inside = await walk(root, name, skip);
      files.push(...(inside.length > 0 ? inside : [entry(name, absolute, true, false)]));
    } else if (dirent.isFile()) {
      const { mode } = await stat(absolute);
      files.push(entry(name, absolute, false, (mode & 0o100) !== 0));
    } else throw refused(name, 'a special file (socket, fifo or device)');
  }
  return files;
}

const entry = (name: string, absolute: string, directory: boolean, executable: boolean) => ({
  name,
  absolute,
  directory,
  executable,
});

function refused(name: string, kind: string): CliError {
  return new CliError(
    `cannot pack ${name}: it is ${kind}, and bundles hold only regular files and folders; ` +
      'replace it with a copy of what it points to, or remove it',
  );
}
