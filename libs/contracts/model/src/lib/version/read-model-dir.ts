import { lstat, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { normalizeBundlePath } from '../bundle-path';
import { ContractError, ContractErrorCode } from '../contract.errors';
import { MANIFEST_FILE, type Manifest } from '../manifest/manifest.schema';
import { readManifestFile } from '../manifest/parse-manifest';
import { coefficientsMissing, mayBeAbsent } from './coefficients-location';
import { digestCoefficientsDir } from './digest-coefficients-dir';
import { EMPTY_COEFFICIENTS_DIGEST, modelVersion } from './model-version';

/**
 * What the platform knows about an unpacked model folder.
 *
 * @example
 * ```ts
 * const { manifest, version, coefficientsDigest, coefficientsDir }: ModelDirInfo = await readModelDir('./iris');
 * ```
 */
export type ModelDirInfo = {
  manifest: Manifest;
  /** `<codeVersion>+<12 hex of coefficientsDigest>`. */
  version: string;
  coefficientsDigest: string;
  /** Absolute path of `coefficients.path` (it may not exist when it is the default). */
  coefficientsDir: string;
};

const isFile = (path: string) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

async function digestOrEmpty(coefficientsDir: string, manifest: Manifest): Promise<string> {
  const exists = await lstat(coefficientsDir).then(
    () => true,
    () => false,
  );
  if (exists) return digestCoefficientsDir(coefficientsDir);
  if (mayBeAbsent(manifest.coefficients.path)) return EMPTY_COEFFICIENTS_DIGEST;
  throw coefficientsMissing(manifest.coefficients.path, coefficientsDir);
}

/**
 * Reads a model folder: validates `ml-run.yaml`, checks the entry file exists
 * (`ENTRY_MISSING`), digests the coefficients and derives the model version. A missing
 * default `coefficients/` folder counts as no coefficients; any other missing path throws
 * `COEFFICIENTS_MISSING`.
 *
 * @example
 * ```ts
 * const info = await readModelDir('./examples/iris-python');
 * console.log(info.version); // e.g. '1.2.0+3f9a1b2c4d5e'
 * ```
 */
export async function readModelDir(modelDir: string): Promise<ModelDirInfo> {
  const manifest = await readManifestFile(modelDir);
  if (!(await isFile(join(modelDir, manifest.entry)))) {
    throw new ContractError(
      ContractErrorCode.EntryMissing,
      `${MANIFEST_FILE}: entry ${JSON.stringify(manifest.entry)} is not a file in ${modelDir}: ` +
        'add it, or point entry at your model module',
      [{ path: 'entry', message: `not found: ${manifest.entry}` }],
    );
  }
  const coefficientsDir = resolve(modelDir, normalizeBundlePath(manifest.coefficients.path));
  const digest = await digestOrEmpty(coefficientsDir, manifest);
  return {
    manifest,
    version: modelVersion(manifest.codeVersion, digest),
    coefficientsDigest: digest,
    coefficientsDir,
  };
}
