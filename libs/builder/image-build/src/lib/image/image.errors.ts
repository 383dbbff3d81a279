/** Why an image build context could not be made; each message says what to fix. */
export enum ImageContextErrorCode {
  /** A value bound for the Dockerfile holds a character it cannot carry (newline, NUL...). */
  UnsafeValue = 'UNSAFE_VALUE',
  /** An option (base image, digest, version) is malformed or disagrees with the manifest. */
  InvalidOption = 'INVALID_OPTION',
  /** A path would leave the build context, or is not a plain relative path. */
  UnsafePath = 'UNSAFE_PATH',
  /** The bundle or wrapper folder holds a symlink or a special file. */
  UnsupportedFile = 'UNSUPPORTED_FILE',
}

/** A refusal to generate a Dockerfile or build context. */
export class ImageContextError extends Error {
  constructor(
    readonly code: ImageContextErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImageContextError';
  }
}
