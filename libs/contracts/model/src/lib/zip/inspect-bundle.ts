import { posix } from 'node:path';
import type { ZipFile } from 'yauzl';

import { normalizeBundlePath } from '../bundle-path';
import { ContractError, ContractErrorCode } from '../contract.errors';
import { checkDependencyFiles, DEPENDENCY_FILES } from '../dependencies/check-dependency-files';
import { MANIFEST_FILE, type Manifest } from '../manifest/manifest.schema';
import { parseManifest } from '../manifest/parse-manifest';
import { coefficientsMissing, mayBeAbsent } from '../version/coefficients-location';
import {
  coefficientsDigest,
  EMPTY_COEFFICIENTS_DIGEST,
  modelVersion,
} from '../version/model-version';
import { checkZipEntries, findManifestEntry, tooManyEntriesError } from './check-zip-entries';
import {
  hashEntry,
  openZip,
  readCentralDirectory,
  readEntryText,
  type RawZipEntry,
} from './zip-file';
import { DEFAULT_ZIP_LIMITS, type ZipEntryInfo, type ZipLimits } from './zip-limits';

/**
 * What `inspectBundle` learns from a bundle zip without unpacking it.
 *
 * @example
 * ```ts
 * const { manifest, version, coefficientsDigest, entries }: BundleInfo = await inspectBundle('iris.zip');
 * ```
 */
export type BundleInfo = {
  manifest: Manifest;
  /** `<codeVersion>+<12 hex of coefficientsDigest>`. */
  version: string;
  coefficientsDigest: string;
  /**
   * The same listing digest over every file in the bundle (paths from its root): two zips
   * of the same files agree, whatever their timestamps or compression. A version's content.
   */
  contentDigest: string;
  entries: ZipEntryInfo[];
};

const norm = (raw: RawZipEntry) => normalizeBundlePath(raw.info.name);

function requireEntryFile(manifest: Manifest, files: readonly RawZipEntry[]): void {
  const entry = normalizeBundlePath(manifest.entry);
  if (files.some((raw) => norm(raw) === entry)) return;
  const rootFiles = files.map(norm).filter((name) => !name.includes('/') && name !== MANIFEST_FILE);
  const hint =
    rootFiles.length > 0 ? ` (files at the root: ${rootFiles.slice(0, 5).join(', ')})` : '';
  throw new ContractError(
    ContractErrorCode.EntryMissing,
    `${MANIFEST_FILE}: entry ${JSON.stringify(manifest.entry)} is not in the zip${hint}: ` +
      'add it at that path, or point entry at your model module',
    [{ path: 'entry', message: `not found: ${manifest.entry}` }],
  );
}

// Every file's sha256 by its normalized path, each entry read once.
async function hashFiles(zip: ZipFile, raws: readonly RawZipEntry[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const raw of raws) {
    if (!raw.info.isDirectory) hashes.set(norm(raw), await hashEntry(zip, raw));
  }
  return hashes;
}

function digestCoefficients(
  hashes: ReadonlyMap<string, string>,
  raws: readonly RawZipEntry[],
  manifest: Manifest,
): string {
  const base = normalizeBundlePath(manifest.coefficients.path);
  const single = hashes.get(base);
  if (single !== undefined) {
    return coefficientsDigest([{ path: posix.basename(base), sha256: single }]);
  }
  const under = [...hashes].filter(([path]) => path.startsWith(`${base}/`));
  const folderListed = raws.some((raw) => raw.info.isDirectory && norm(raw) === base);
  if (under.length === 0 && !folderListed) {
    if (mayBeAbsent(manifest.coefficients.path)) return EMPTY_COEFFICIENTS_DIGEST;
    throw coefficientsMissing(manifest.coefficients.path, 'the zip');
  }
  return coefficientsDigest(
    under.map(([path, sha256]) => ({ path: path.slice(base.length + 1), sha256 })),
  );
}

// The root files that decide what a build installs, checked before anything is stored.
async function checkDependencies(
  zip: ZipFile,
  files: readonly RawZipEntry[],
  manifest: Manifest,
): Promise<void> {
  const texts: Record<string, string> = {};
  for (const name of DEPENDENCY_FILES[manifest.runtime]) {
    const raw = files.find((entry) => norm(entry) === name);
    if (raw !== undefined) texts[name] = await readEntryText(zip, raw);
  }
  checkDependencyFiles(manifest.runtime, texts);
}

async function inspectOpenZip(zip: ZipFile, limits: ZipLimits): Promise<BundleInfo> {
  if (zip.entryCount > limits.maxEntries) {
    throw tooManyEntriesError(zip.entryCount, limits.maxEntries);
  }
  const raws = await readCentralDirectory(zip);
  const entries = raws.map((raw) => raw.info);
  const problem = checkZipEntries(entries, limits);
  if (problem !== undefined) throw problem;
  const manifestRaw = raws[entries.indexOf(findManifestEntry(entries) as ZipEntryInfo)];
  const manifest = parseManifest(await readEntryText(zip, manifestRaw));
  const files = raws.filter((raw) => !raw.info.isDirectory);
  requireEntryFile(manifest, files);
  await checkDependencies(zip, files, manifest);
  const hashes = await hashFiles(zip, raws);
  const digest = digestCoefficients(hashes, raws, manifest);
  return {
    manifest,
    version: modelVersion(manifest.codeVersion, digest),
    coefficientsDigest: digest,
    contentDigest: coefficientsDigest([...hashes].map(([path, sha256]) => ({ path, sha256 }))),
    entries,
  };
}

/**
 * Checks a bundle zip before anything is unpacked and derives its model version. Reads the
 * central directory, applies `checkZipEntries`, then reads `ml-run.yaml` and streams every
 * file through sha256 (an entry with more bytes than its header says, which the limits
 * were checked against, is refused),
 * validates the manifest, checks the entry file is present and the dependency files
 * (`checkDependencyFiles`).
 * Throws `ContractError` (`ZIP_*`, `MANIFEST_*`, `ENTRY_MISSING`, `COEFFICIENTS_*`,
 * `DEPENDENCY_*`).
 * Entry names are decoded as UTF-8 when the entry's UTF-8 flag is set, else as latin1.
 *
 * @example
 * ```ts
 * const bundle = await inspectBundle('/uploads/iris-1.2.0.zip');
 * console.log(bundle.manifest.name, bundle.version); // iris 1.2.0+3f9a1b2c4d5e
 * ```
 */
export async function inspectBundle(
  zipPath: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<BundleInfo> {
  const zip = await openZip(zipPath);
  try {
    return await inspectOpenZip(zip, limits);
  } finally {
    zip.close();
  }
}
