import { RegistryErrorCode } from '@ml-run/registry-contract';

// Codes callers map to answers: a refused deployment names the code and the fix; the
// builder's answer for an unavailable sandbox is the registry contract's.
export enum SandboxErrorCode {
  /** The mode asked for needs something this machine lacks (bwrap, root, the user). */
  SandboxUnavailable = RegistryErrorCode.SandboxUnavailable,
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
