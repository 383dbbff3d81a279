// Codes callers map to answers: a refused deployment names the code and the fix.
export enum SandboxErrorCode {
  /** The mode asked for needs something this machine lacks (bwrap, root, the user). */
  SandboxUnavailable = 'SANDBOX_UNAVAILABLE',
  /** A cgroup could not be made or joined. */
  CgroupFailed = 'SANDBOX_CGROUP_FAILED',
}

export class SandboxError extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}
