import { normalizeBundlePath } from '../bundle-path';
import { ContractError, ContractErrorCode } from '../contract.errors';
import { MANIFEST_DEFAULTS } from '../manifest/manifest.rules';
import { MANIFEST_FILE } from '../manifest/manifest.schema';

/**
 * Whether a missing coefficients path is allowed: only the default `coefficients/` may be
 * absent (a model without coefficients); any other path was set on purpose and must exist.
 *
 * @example
 * ```ts
 * mayBeAbsent('./coefficients'); // true
 * mayBeAbsent('weights/'); // false
 * ```
 */
export function mayBeAbsent(coefficientsPath: string): boolean {
  return (
    normalizeBundlePath(coefficientsPath) ===
    normalizeBundlePath(MANIFEST_DEFAULTS.coefficientsPath)
  );
}

/**
 * The `COEFFICIENTS_MISSING` error for a declared path that is not there.
 *
 * @example
 * ```ts
 * throw coefficientsMissing('weights/', 'the bundle');
 * ```
 */
export function coefficientsMissing(coefficientsPath: string, where: string): ContractError {
  return new ContractError(
    ContractErrorCode.CoefficientsMissing,
    `${MANIFEST_FILE}: coefficients.path ${JSON.stringify(coefficientsPath)} is not in ${where}: ` +
      'add the coefficients there, or fix the path',
    [{ path: 'coefficients.path', message: `not found: ${coefficientsPath}` }],
  );
}
