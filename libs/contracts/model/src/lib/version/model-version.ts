import { createHash } from 'node:crypto';

import { ContractError, ContractErrorCode } from '../contract.errors';
import { MANIFEST_PATTERNS } from '../manifest/manifest.rules';

/**
 * One coefficients file: its path relative to the coefficients directory (POSIX) and the
 * lowercase hex sha256 of its content.
 *
 * @example
 * ```ts
 * const file: CoefficientsFile = { path: 'weights.json', sha256: 'e3b0c442...' };
 * ```
 */
export type CoefficientsFile = { path: string; sha256: string };

/**
 * The parts of a model version.
 *
 * @example
 * ```ts
 * const parts: ModelVersionParts = { codeVersion: '1.2.0', coefficientsShort: '3f9a1b2c4d5e' };
 * ```
 */
export type ModelVersionParts = { codeVersion: string; coefficientsShort: string };

const SHA256_HEX = /^[0-9a-f]{64}$/;
const CODE_VERSION = new RegExp(MANIFEST_PATTERNS.codeVersion);
// A listing line must stay one line, like sha256sum's (which would escape these).
// eslint-disable-next-line no-control-regex -- control characters are what it rejects
const LISTABLE_PATH = /^[^/\\\x00-\x1f\x7f](?:[^\\\x00-\x1f\x7f]*[^/\\\x00-\x1f\x7f])?$/;

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const byteOrder = (a: CoefficientsFile, b: CoefficientsFile) =>
  Buffer.compare(Buffer.from(a.path, 'utf8'), Buffer.from(b.path, 'utf8'));

function invalidFile(file: CoefficientsFile, what: string): ContractError {
  return new ContractError(
    ContractErrorCode.CoefficientsInvalid,
    `coefficients file ${JSON.stringify(file.path)}: ${what}`,
    [{ path: file.path, message: what }],
  );
}

/**
 * The coefficients digest: sha256 (hex) of the `sha256sum`-style listing
 * `<sha256>  <path>\n`, one line per file, sorted by path bytes (UTF-8). No files give the
 * sha256 of the empty string. Pure; throws `COEFFICIENTS_INVALID` on a malformed list.
 *
 * @example
 * ```ts
 * // same as: cd coefficients && find . -type f | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum
 * coefficientsDigest([{ path: 'w.txt', sha256: sha256OfFileContent }]);
 * coefficientsDigest([]); // 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 * ```
 */
export function coefficientsDigest(files: readonly CoefficientsFile[]): string {
  const sorted = [...files].sort(byteOrder);
  sorted.forEach((file, i) => {
    if (!SHA256_HEX.test(file.sha256)) throw invalidFile(file, 'sha256 must be 64 lowercase hex');
    if (!LISTABLE_PATH.test(file.path)) {
      throw invalidFile(file, 'path must be relative, without "\\" or control characters');
    }
    if (i > 0 && sorted[i - 1].path === file.path) throw invalidFile(file, 'listed twice');
  });
  return sha256Hex(sorted.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
}

/**
 * The model version: `<codeVersion>+<first 12 hex of the coefficients digest>` (semver
 * build metadata). Throws `MODEL_VERSION_INVALID` on a bad code version or digest.
 *
 * @example
 * ```ts
 * modelVersion('1.2.0', '3f9a1b2c4d5e6f...'); // '1.2.0+3f9a1b2c4d5e'
 * ```
 */
export function modelVersion(codeVersion: string, coefficientsDigest: string): string {
  if (!CODE_VERSION.test(codeVersion)) {
    throw new ContractError(
      ContractErrorCode.ModelVersionInvalid,
      `code version ${JSON.stringify(codeVersion)} must be semver without build metadata, e.g. "1.2.0"`,
    );
  }
  if (!SHA256_HEX.test(coefficientsDigest)) {
    throw new ContractError(
      ContractErrorCode.ModelVersionInvalid,
      `coefficients digest ${JSON.stringify(coefficientsDigest)} must be 64 lowercase hex (a sha256)`,
    );
  }
  return `${codeVersion}+${coefficientsDigest.slice(0, 12)}`;
}

/**
 * Splits a model version into its code version and the 12-hex coefficients prefix.
 * Throws `MODEL_VERSION_INVALID` if `version` is not `<semver>+<12 lowercase hex>`.
 *
 * @example
 * ```ts
 * parseModelVersion('2.0.0-rc.1+3f9a1b2c4d5e'); // { codeVersion: '2.0.0-rc.1', coefficientsShort: '3f9a1b2c4d5e' }
 * ```
 */
export function parseModelVersion(version: string): ModelVersionParts {
  const plus = version.lastIndexOf('+');
  const codeVersion = version.slice(0, plus);
  const coefficientsShort = version.slice(plus + 1);
  if (plus < 0 || !CODE_VERSION.test(codeVersion) || !/^[0-9a-f]{12}$/.test(coefficientsShort)) {
    throw new ContractError(
      ContractErrorCode.ModelVersionInvalid,
      `model version ${JSON.stringify(version)} must be <codeVersion>+<12 hex>, e.g. "1.2.0+3f9a1b2c4d5e"`,
    );
  }
  return { codeVersion, coefficientsShort };
}

/**
 * sha256 of the empty listing: the coefficients digest of a model without coefficients.
 *
 * @example
 * ```ts
 * modelVersion('1.0.0', EMPTY_COEFFICIENTS_DIGEST); // '1.0.0+e3b0c44298fc'
 * ```
 */
export const EMPTY_COEFFICIENTS_DIGEST = sha256Hex('');
