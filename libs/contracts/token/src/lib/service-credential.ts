import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The jobs ML-RUN services call each other for. Each role has its own credential and opens
 * only its own doors (docs/security.md, "Service credentials"):
 * - `introspection`: wrappers and the builder asking the token-validator about a token, and
 *   following its revocation stream;
 * - `route-table`: routers reading the builder's route table (replica URLs), and a router's
 *   in-flight counts;
 * - `registry-read`: the console reading the registry (models and versions);
 * - `metrics`: a scraper (Prometheus, the benchmark) reading any service's `/metrics`.
 */
export const SERVICE_ROLES = ['introspection', 'route-table', 'registry-read', 'metrics'] as const;

export type ServiceRole = (typeof SERVICE_ROLES)[number];

/**
 * The variable holding each role's credential.
 * @example SERVICE_CREDENTIAL_VARIABLES['route-table'] // 'MLRUN_ROUTE_TABLE_TOKEN'
 */
export const SERVICE_CREDENTIAL_VARIABLES = {
  introspection: 'MLRUN_INTROSPECTION_TOKEN',
  'route-table': 'MLRUN_ROUTE_TABLE_TOKEN',
  'registry-read': 'MLRUN_REGISTRY_READ_TOKEN',
  metrics: 'MLRUN_METRICS_TOKEN',
} as const satisfies Record<ServiceRole, string>;

/**
 * A credential setting that holds only the SHA-256 of the credential, for a service that
 * checks it but never presents it: a reader of that service's environment cannot present it.
 * @example 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
 */
export const CREDENTIAL_DIGEST_PATTERN = /^sha256:([0-9a-f]{64})$/;

/** The digest form of a credential, for a service that only checks it. */
export function credentialDigest(secret: string): string {
  return `sha256:${sha256(secret).toString('hex')}`;
}

/**
 * The digest form of a credential setting (one already a digest stays as it is): what a
 * service hands on to one that only checks the credential (the builder to its replicas).
 */
export function digestOfSetting(setting: string): string {
  return isCredentialDigest(setting) ? setting : credentialDigest(setting);
}

/** Whether a credential setting is the digest form (it cannot be presented, only checked). */
export function isCredentialDigest(setting: string): boolean {
  return CREDENTIAL_DIGEST_PATTERN.test(setting);
}

/**
 * One role's credential as a service checks it; holds only its digest. `setting` is the
 * credential itself or its digest form (`sha256:<hex>`, see credentialDigest).
 */
export class ServiceCredential {
  private readonly digest: Buffer;

  constructor(setting: string) {
    const hex = CREDENTIAL_DIGEST_PATTERN.exec(setting)?.[1];
    this.digest = hex === undefined ? sha256(setting) : Buffer.from(hex, 'hex');
  }

  /** Whether a presented credential is the secret, in time independent of where they differ. */
  matches(presented: string): boolean {
    // Equal-length digests: timingSafeEqual never throws and the secret's length never leaks.
    return timingSafeEqual(sha256(presented), this.digest);
  }
}

/** The credentials a service checks, one per role it serves; a role without one opens to no one. */
export class ServiceCredentials {
  private readonly byRole = new Map<ServiceRole, ServiceCredential>();

  constructor(settings: Partial<Record<ServiceRole, string | undefined>> = {}) {
    for (const role of SERVICE_ROLES) {
      const setting = settings[role];
      if (setting) this.byRole.set(role, new ServiceCredential(setting));
    }
  }

  /** Whether this service was given the credential of `role`. */
  has(role: ServiceRole): boolean {
    return this.byRole.has(role);
  }

  /**
   * Which of `roles` the presented credential belongs to, if any. Only those roles are
   * compared: a credential of another role opens nothing here, even if this service holds it.
   */
  roleOf(presented: string | undefined, roles: readonly ServiceRole[]): ServiceRole | undefined {
    if (presented === undefined) return undefined;
    let matched: ServiceRole | undefined;
    // Every role is compared, even after a match: the time taken does not tell which matched.
    for (const role of roles) {
      if (this.byRole.get(role)?.matches(presented) && matched === undefined) matched = role;
    }
    return matched;
  }
}

/** The credential of an `Authorization: Bearer <credential>` header, if it is one. */
export function bearerCredential(header: string | undefined): string | undefined {
  return /^Bearer +([^\s]+) *$/i.exec(header ?? '')?.[1];
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
