// One path segment: not "." or "..", no "/", "\" or control characters.
const SEGMENT = String.raw`(?!\.\.?(?:\/|$))[^\/\\\x00-\x1f\x7f]+`;

/**
 * A relative POSIX path inside a bundle: optional leading `./`, `/`-separated segments
 * (no `.`, `..`, empty segment, `\` or control character), optional trailing `/`, no
 * leading `/` or drive letter. Shared with the Python module and the JSON Schema.
 *
 * @example
 * ```ts
 * new RegExp(BUNDLE_PATH_PATTERN).test('coefficients/'); // true
 * new RegExp(BUNDLE_PATH_PATTERN).test('../secrets'); // false
 * ```
 */
// "/" is written "\/" so that RegExp#source (what zod puts in JSON Schema) is this string.
export const BUNDLE_PATH_PATTERN = String.raw`^(?![A-Za-z]:)(?:\.\/)?${SEGMENT}(?:\/${SEGMENT})*\/?$`;

/**
 * Canonical form of a bundle path or zip entry name: `.` and empty segments dropped, no
 * leading `./`, no trailing `/`. Two names that normalise equal name the same file.
 *
 * @example
 * ```ts
 * normalizeBundlePath('./coefficients//w.bin'); // 'coefficients/w.bin'
 * normalizeBundlePath('coefficients/'); // 'coefficients'
 * ```
 */
export function normalizeBundlePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}
