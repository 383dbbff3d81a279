import { normalizeBundlePath } from '../bundle-path';
import { ContractErrorCode as Code, ContractError } from '../contract.errors';
import { COMPRESSION_RATIO_GRACE_BYTES, type ZipEntryInfo, type ZipLimits } from './zip-limits';

/**
 * A rule about single entries: every entry for which `breaks` is true is a violation.
 *
 * @example
 * ```ts
 * const rule = ZIP_ENTRY_RULES.find((r) => r.code === ContractErrorCode.ZipSymlink);
 * ```
 */
export type ZipEntryRule = {
  code: Code;
  breaks: (entry: ZipEntryInfo, limits: ZipLimits) => boolean;
  /** What to fix, given the offending names (already quoted and shortened). */
  fix: (names: string, limits: ZipLimits) => string;
};

/**
 * The per-entry zip rules, in the order `checkZipEntries` applies them.
 *
 * @example
 * ```ts
 * ZIP_ENTRY_RULES.map((rule) => rule.code); // ['ZIP_ABSOLUTE_PATH', 'ZIP_PATH_TRAVERSAL', ...]
 * ```
 */
export const ZIP_ENTRY_RULES: readonly ZipEntryRule[] = [
  {
    code: Code.ZipAbsolutePath,
    breaks: (e) => /^(?:\/|[A-Za-z]:)/.test(e.name),
    fix: (names) =>
      `the zip has absolute paths (${names}): zip the model folder's contents with relative ` +
      'paths (cd model && zip -r ../model.zip .)',
  },
  {
    code: Code.ZipPathTraversal,
    breaks: (e) => e.name.split('/').includes('..'),
    fix: (names) =>
      `the zip has ".." in paths (${names}), which would unpack outside the model folder: ` +
      'remove those entries',
  },
  {
    code: Code.ZipInvalidName,
    breaks: (e) =>
      // eslint-disable-next-line no-control-regex -- control characters are what it rejects
      /[\\\x00-\x1f\x7f]/.test(e.name) || (!e.isDirectory && normalizeBundlePath(e.name) === ''),
    fix: (names) =>
      `the zip has empty names, "\\" separators or control characters (${names}): re-create ` +
      'it with a tool that writes "/" separators, e.g. ml-run pack',
  },
  {
    code: Code.ZipSymlink,
    breaks: (e) => e.isSymlink,
    fix: (names) =>
      `the zip has symlinks (${names}): replace each with a copy of the file it points to`,
  },
  {
    code: Code.ZipEncrypted,
    breaks: (e) => e.isEncrypted,
    fix: (names) => `the zip has encrypted entries (${names}): zip again without a password`,
  },
  {
    code: Code.ZipCompressionRatio,
    breaks: (e, limits) =>
      e.uncompressedSize > COMPRESSION_RATIO_GRACE_BYTES &&
      e.uncompressedSize > limits.maxCompressionRatio * Math.max(e.compressedSize, 1),
    fix: (names, limits) =>
      `entries inflate more than ${limits.maxCompressionRatio}x (${names}), like a zip bomb: ` +
      'store that data in a compact format, or leave it out',
  },
];

const MAX_LISTED = 5;

/**
 * Quotes up to five names for a message, then "and N more".
 *
 * @example
 * ```ts
 * listNames(['a', 'b']); // '"a", "b"'
 * ```
 */
export function listNames(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED).map((name) => JSON.stringify(name));
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/**
 * Applies one per-entry rule; the error's `details` list every offending entry.
 *
 * @example
 * ```ts
 * const error = applyEntryRule(ZIP_ENTRY_RULES[0], entries, DEFAULT_ZIP_LIMITS);
 * ```
 */
export function applyEntryRule(
  rule: ZipEntryRule,
  entries: readonly ZipEntryInfo[],
  limits: ZipLimits,
): ContractError | undefined {
  const names = entries.filter((e) => rule.breaks(e, limits)).map((e) => e.name);
  if (names.length === 0) return undefined;
  const message = rule.fix(listNames(names), limits);
  return new ContractError(
    rule.code,
    message,
    names.map((path) => ({ path, message })),
  );
}
