export enum DockerErrorCode {
  BuildFailed = 'IMAGE_BUILD_FAILED',
  PushFailed = 'IMAGE_PUSH_FAILED',
  Unavailable = 'DOCKER_UNAVAILABLE',
}

// Messages say what went wrong in Docker's own words; `log` is the tail of what it printed.
export class DockerError extends Error {
  constructor(
    readonly code: DockerErrorCode,
    message: string,
    readonly log: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DockerError';
  }
}
