/**
 * Limits a bundle zip must respect; checked from the central directory before anything is
 * unpacked, and again on the real bytes of the entries that are read.
 *
 * @example
 * ```ts
 * const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, maxTotalUncompressedBytes: 512 * 1024 ** 2 };
 * ```
 */
export type ZipLimits = {
  /** Most entries (files and folders) in the zip. */
  maxEntries: number;
  /** Most bytes of all entries once unpacked. */
  maxTotalUncompressedBytes: number;
  /** Most an entry may inflate (uncompressed / compressed); see COMPRESSION_RATIO_GRACE_BYTES. */
  maxCompressionRatio: number;
  /** Largest `ml-run.yaml`. */
  maxManifestBytes: number;
};

/**
 * The platform's limits: 10 000 entries, 2 GiB unpacked, ratio 200, manifest 64 KiB.
 *
 * @example
 * ```ts
 * await inspectBundle('iris-1.2.0.zip', DEFAULT_ZIP_LIMITS);
 * ```
 */
export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntries: 10_000,
  maxTotalUncompressedBytes: 2 * 1024 ** 3,
  maxCompressionRatio: 200,
  maxManifestBytes: 64 * 1024,
});

/**
 * Entries up to this uncompressed size skip the ratio rule: small repetitive files (a
 * config, a zero-filled array) compress far beyond any bomb threshold, and cannot harm.
 *
 * @example
 * ```ts
 * COMPRESSION_RATIO_GRACE_BYTES; // 1 MiB
 * ```
 */
export const COMPRESSION_RATIO_GRACE_BYTES = 1024 ** 2;

/**
 * What the zip rules look at for one entry, read from the central directory.
 * `name` is decoded as UTF-8 when the entry's UTF-8 flag (bit 11) is set, else latin1.
 *
 * @example
 * ```ts
 * const entry: ZipEntryInfo = {
 *   name: 'model.py', compressedSize: 120, uncompressedSize: 300,
 *   isSymlink: false, isDirectory: false, isEncrypted: false,
 * };
 * ```
 */
export type ZipEntryInfo = {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  isSymlink: boolean;
  isDirectory: boolean;
  isEncrypted: boolean;
};
