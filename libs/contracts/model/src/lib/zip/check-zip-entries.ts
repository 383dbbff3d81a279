import { normalizeBundlePath } from '../bundle-path';
import { ContractErrorCode as Code, ContractError } from '../contract.errors';
import { MANIFEST_FILE } from '../manifest/manifest.schema';
import { applyEntryRule, listNames, ZIP_ENTRY_RULES } from './zip-entry-rules';
import type { ZipEntryInfo, ZipLimits } from './zip-limits';

type ZipRule = (entries: readonly ZipEntryInfo[], limits: ZipLimits) => ContractError | undefined;

const MiB = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
const error = (code: Code, message: string, paths: readonly string[] = []) =>
  new ContractError(
    code,
    message,
    paths.map((path) => ({ path, message })),
  );

/**
 * The `ZIP_TOO_MANY_ENTRIES` error (also raised from the zip's end record, before listing).
 *
 * @example
 * ```ts
 * if (zip.entryCount > limits.maxEntries) throw tooManyEntriesError(zip.entryCount, limits.maxEntries);
 * ```
 */
export const tooManyEntriesError = (count: number, max: number) =>
  error(
    Code.ZipTooManyEntries,
    `the zip has ${count} entries, above the limit of ${max}: ` +
      'leave out files the model does not need, or pack many small files into one',
  );

const tooManyEntries: ZipRule = (entries, limits) =>
  entries.length <= limits.maxEntries
    ? undefined
    : tooManyEntriesError(entries.length, limits.maxEntries);

const tooLarge: ZipRule = (entries, limits) => {
  const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (total <= limits.maxTotalUncompressedBytes) return undefined;
  return error(
    Code.ZipTooLarge,
    `the zip unpacks to ${MiB(total)}, above the limit of ${MiB(limits.maxTotalUncompressedBytes)}: ` +
      'leave out files the model does not need',
  );
};

function findDuplicate(entries: readonly ZipEntryInfo[]): [string, string] | undefined {
  const byKey = new Map<string, string>();
  const folders = new Map<string, string>();
  for (const entry of entries) {
    const key = normalizeBundlePath(entry.name).toLowerCase();
    if (key === '') continue;
    const earlier = byKey.get(key);
    if (earlier !== undefined) return [earlier, entry.name];
    byKey.set(key, entry.name);
    const segments = key.split('/');
    for (let i = 1; i < segments.length; i++)
      folders.set(segments.slice(0, i).join('/'), entry.name);
  }
  for (const entry of entries.filter((e) => !e.isDirectory)) {
    const inside = folders.get(normalizeBundlePath(entry.name).toLowerCase());
    if (inside !== undefined) return [entry.name, inside];
  }
  return undefined;
}

const duplicateNames: ZipRule = (entries) => {
  const pair = findDuplicate(entries);
  if (pair === undefined) return undefined;
  return error(
    Code.ZipDuplicateName,
    `the zip entries ${listNames(pair)} clash (names are compared ignoring case and "./", and a ` +
      'file cannot also be a folder): keep one of them',
    pair,
  );
};

/**
 * The root `ml-run.yaml` entry of a zip, if any.
 *
 * @example
 * ```ts
 * const manifestEntry = findManifestEntry(entries);
 * ```
 */
export function findManifestEntry<T extends ZipEntryInfo>(entries: readonly T[]): T | undefined {
  return entries.find((e) => !e.isDirectory && normalizeBundlePath(e.name) === MANIFEST_FILE);
}

const manifestAtRoot: ZipRule = (entries, limits) => {
  const manifest = findManifestEntry(entries);
  if (manifest !== undefined && manifest.uncompressedSize > limits.maxManifestBytes) {
    return error(
      Code.ManifestTooLarge,
      `${MANIFEST_FILE} is ${manifest.uncompressedSize} bytes, above the limit of ` +
        `${limits.maxManifestBytes}: keep it short (data belongs in the coefficients)`,
      [manifest.name],
    );
  }
  if (manifest !== undefined) return undefined;
  const nested = entries.find((e) => !e.isDirectory && e.name.endsWith(`/${MANIFEST_FILE}`));
  if (nested === undefined) {
    return error(
      Code.ManifestMissing,
      `the zip has no ${MANIFEST_FILE} at its root: add one next to the entry module`,
    );
  }
  const folder = normalizeBundlePath(nested.name).slice(0, -MANIFEST_FILE.length - 1);
  return error(
    Code.ZipManifestNotAtRoot,
    `${MANIFEST_FILE} is inside the folder "${folder}/", not at the root of the zip: zip the ` +
      `folder's contents, not the folder (cd ${folder} && zip -r ../model.zip .)`,
    [nested.name],
  );
};

/**
 * The structural zip rules, in order: entry count, then each of `ZIP_ENTRY_RULES`
 * (absolute path, "..", bad name, symlink, encrypted, compression ratio), duplicate
 * names, total size, and `ml-run.yaml` at the root (and within `maxManifestBytes`).
 *
 * @example
 * ```ts
 * ZIP_RULES.length; // 10
 * ```
 */
export const ZIP_RULES: readonly ZipRule[] = [
  tooManyEntries,
  ...ZIP_ENTRY_RULES.map(
    (rule): ZipRule =>
      (entries, limits) =>
        applyEntryRule(rule, entries, limits),
  ),
  duplicateNames,
  tooLarge,
  manifestAtRoot,
];

/**
 * Checks a zip's central directory against the rules, before anything is unpacked.
 * Returns the first broken rule (in `ZIP_RULES` order) as a `ContractError` whose
 * `details` list every offending entry, or `undefined` when the listing is acceptable.
 * Pure: it does not read entry data (see `inspectBundle` for that).
 *
 * @example
 * ```ts
 * const problem = checkZipEntries(entries, DEFAULT_ZIP_LIMITS);
 * if (problem) throw problem; // e.g. code ZIP_SYMLINK
 * ```
 */
export function checkZipEntries(
  entries: readonly ZipEntryInfo[],
  limits: ZipLimits,
): ContractError | undefined {
  for (const rule of ZIP_RULES) {
    const problem = rule(entries, limits);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
