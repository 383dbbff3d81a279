import { ImageContextError, ImageContextErrorCode } from './image.errors';

// A Dockerfile has no escape for a line break: a newline would end the instruction.
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const CONTROL = /[\x00-\x1f\x7f]/;

// name[:port]/path[:tag][@sha256:digest]; no whitespace, quotes or "$" (ARG substitution).
const IMAGE_REFERENCE =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

/**
 * A value as a double-quoted Dockerfile word (ENV, LABEL): `\`, `"` and `$` are escaped
 * (so no variable is substituted), control characters are refused. `what` names the value
 * in the error.
 */
export function dockerQuote(value: string, what: string): string {
  if (CONTROL.test(value)) {
    throw new ImageContextError(
      ImageContextErrorCode.UnsafeValue,
      `${what} ${JSON.stringify(value)} contains a line break or control character, which a ` +
        'Dockerfile cannot carry: remove it',
    );
  }
  return `"${value.replace(/[\\"$]/g, (char) => `\\${char}`)}"`;
}

/** The base image reference, checked to be one plain `FROM` word. */
export function checkImageReference(reference: string): string {
  if (reference.length > 512 || !IMAGE_REFERENCE.test(reference)) {
    throw new ImageContextError(
      ImageContextErrorCode.InvalidOption,
      `base image ${JSON.stringify(reference)} is not an image reference like ` +
        '"127.0.0.1:5000/ml-run/base:abc123def456": fix the base image setting',
    );
  }
  return reference;
}
