import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { ContractError, ContractErrorCode } from '../contract.errors';
import { coefficientsDigest, type CoefficientsFile } from './model-version';

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function unsupported(file: string, kind: string): ContractError {
  return new ContractError(
    ContractErrorCode.CoefficientsInvalid,
    `coefficients must be regular files and folders, but ${file} is a ${kind}: ` +
      'replace it with a copy of the file it points to',
    [{ path: file, message: `is a ${kind}` }],
  );
}

async function listFiles(dir: string, prefix: string): Promise<CoefficientsFile[]> {
  const files: CoefficientsFile[] = [];
  for (const dirent of await readdir(dir, { withFileTypes: true })) {
    const abs = join(dir, dirent.name);
    const rel = prefix === '' ? dirent.name : `${prefix}/${dirent.name}`;
    if (dirent.isSymbolicLink()) throw unsupported(abs, 'symlink');
    if (dirent.isDirectory()) files.push(...(await listFiles(abs, rel)));
    else if (dirent.isFile()) files.push({ path: rel, sha256: await sha256File(abs) });
    else throw unsupported(abs, 'special file');
  }
  return files;
}

/**
 * Digest of the coefficients on disk (see `coefficientsDigest`). `path` is a directory
 * (every regular file below it, by relative path) or a single file (listed by its
 * basename). Symlinks and special files are refused (`COEFFICIENTS_INVALID`); a missing
 * path throws `COEFFICIENTS_MISSING`.
 *
 * @example
 * ```ts
 * const digest = await digestCoefficientsDir('./iris/coefficients');
 * modelVersion('1.2.0', digest); // '1.2.0+3f9a1b2c4d5e'
 * ```
 */
export async function digestCoefficientsDir(path: string): Promise<string> {
  const stats = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR') throw err;
    throw new ContractError(
      ContractErrorCode.CoefficientsMissing,
      `coefficients not found at ${path}: create it or fix coefficients.path in ml-run.yaml`,
    );
  });
  if (stats.isSymbolicLink()) throw unsupported(path, 'symlink');
  if (stats.isFile())
    return coefficientsDigest([{ path: basename(path), sha256: await sha256File(path) }]);
  if (!stats.isDirectory()) throw unsupported(path, 'special file');
  return coefficientsDigest(await listFiles(path, ''));
}
