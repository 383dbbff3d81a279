import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

import { contextPath, CONTEXT_DIRS as CTX, isCoefficientsFile } from './image-layout';
import { ImageContextError, ImageContextErrorCode } from './image.errors';

/** One entry of the build context tar: a folder, a file on disk or generated content. */
export type ContextEntry =
  | { type: 'directory'; name: string }
  | { type: 'file'; name: string; mode: number; size: number; source: string }
  | { type: 'file'; name: string; mode: number; content: Buffer };

type FoundItem = { rel: string; abs: string; isDirectory: boolean; size: number; mode: number };

// Only "runs or not" survives: umask, owner and group on the builder's disk do not.
const fileMode = (mode: number) => (mode & 0o111 ? 0o755 : 0o644);

function unsupported(abs: string, kind: string): ImageContextError {
  return new ImageContextError(
    ImageContextErrorCode.UnsupportedFile,
    `${abs} is a ${kind}; a build context holds only regular files and folders ` +
      '(a link could reach outside it): replace it with a copy of what it points to',
  );
}

/**
 * Every folder and regular file below `root`, by "/"-separated relative path; a symlink
 * is refused, or left out with `links: 'skip'` (a tool's own `.bin` links).
 */
async function findItems(
  root: string,
  rel = '',
  links: 'refuse' | 'skip' = 'refuse',
): Promise<FoundItem[]> {
  const items: FoundItem[] = [];
  for (const dirent of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const childRel = rel === '' ? dirent.name : `${rel}/${dirent.name}`;
    const abs = path.join(root, childRel);
    const info = await lstat(abs);
    if (info.isSymbolicLink()) {
      if (links === 'skip') continue;
      throw unsupported(abs, 'symlink');
    }
    if (info.isDirectory()) {
      items.push({ rel: childRel, abs, isDirectory: true, size: 0, mode: 0o755 });
      items.push(...(await findItems(root, childRel, links)));
    } else if (info.isFile()) {
      items.push({ rel: childRel, abs, isDirectory: false, size: info.size, mode: info.mode });
    } else {
      throw unsupported(abs, 'special file');
    }
  }
  return items;
}

function toEntry(item: FoundItem, topDir: string): ContextEntry {
  const name = contextPath(topDir, item.rel);
  if (item.isDirectory) return { type: 'directory', name };
  return { type: 'file', name, mode: fileMode(item.mode), size: item.size, source: item.abs };
}

/** The wrapper folder as `wrapper/...` entries. */
export async function wrapperEntries(wrapperDir: string): Promise<ContextEntry[]> {
  return (await findItems(wrapperDir)).map((item) => toEntry(item, CTX.wrapper));
}

/** The builder's npm (a fetch context's `npm/...`), its `.bin` links left out. */
export async function npmEntries(npmDir: string): Promise<ContextEntry[]> {
  return (await findItems(npmDir, '', 'skip')).map((item) => toEntry(item, CTX.npm));
}

/** Bundle root files (the dependency files) as `model/<name>` entries. */
export async function bundleFileEntries(
  bundleDir: string,
  names: readonly string[],
): Promise<ContextEntry[]> {
  const entries: ContextEntry[] = [];
  for (const name of names) {
    const abs = path.join(bundleDir, name);
    const info = await lstat(abs);
    if (!info.isFile()) throw unsupported(abs, 'link or special file');
    entries.push({
      type: 'file',
      name: contextPath(CTX.model, name),
      mode: fileMode(info.mode),
      size: info.size,
      source: abs,
    });
  }
  return entries;
}

/**
 * The unpacked bundle split in two overlays of the model folder: `coefficients/<path>`
 * for everything at or below `coefficients.path`, `model/<path>` for the rest.
 */
export async function bundleEntries(
  bundleDir: string,
  coefficientsPath: string,
): Promise<ContextEntry[]> {
  return (await findItems(bundleDir)).map((item) =>
    toEntry(item, isCoefficientsFile(item.rel, coefficientsPath) ? CTX.coefficients : CTX.model),
  );
}

/**
 * The entries with every missing parent folder (and the three top folders, so each COPY
 * has a source even when empty) added, sorted by name bytes: one order on every machine.
 */
export function completeAndSort(entries: readonly ContextEntry[]): ContextEntry[] {
  const byName = new Map<string, ContextEntry>(entries.map((entry) => [entry.name, entry]));
  const folders = [CTX.wrapper, CTX.model, CTX.coefficients] as string[];
  for (const { name } of entries) {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) folders.push(parts.slice(0, i).join('/'));
  }
  for (const name of folders) {
    if (!byName.has(name)) byName.set(name, { type: 'directory', name });
  }
  return [...byName.values()].sort((a, b) =>
    Buffer.compare(Buffer.from(a.name, 'utf8'), Buffer.from(b.name, 'utf8')),
  );
}
