import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The shared secret services present to each other (MLRUN_SERVICE_TOKEN: wrappers to the
 * token-validator, routers to the builder); holds only its digest.
 */
export class ServiceCredential {
  private readonly digest: Buffer;

  constructor(secret: string) {
    this.digest = sha256(secret);
  }

  /** Whether a presented credential is the secret, in time independent of where they differ. */
  matches(presented: string): boolean {
    // Equal-length digests: timingSafeEqual never throws and the secret's length never leaks.
    return timingSafeEqual(sha256(presented), this.digest);
  }
}

/** The credential of an `Authorization: Bearer <credential>` header, if it is one. */
export function bearerCredential(header: string | undefined): string | undefined {
  return /^Bearer +([^\s]+) *$/i.exec(header ?? '')?.[1];
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
