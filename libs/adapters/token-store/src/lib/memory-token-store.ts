import type { TokenRecord, TokenStore } from './token-store.port';

const SWEEP_INTERVAL_MS = 60_000;

/** The embedded-mode store: a Map whose entries expire with their token. */
export class MemoryTokenStore implements TokenStore {
  private readonly records = new Map<string, TokenRecord>();
  // A user-wide revocation outlives every token it covers only while tokens could; the
  // map holds one entry per user ever revoked, which a users file keeps small.
  private readonly notBefore = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;

  // Expiry is compared in milliseconds (exp * 1000): exp may have a fraction (RFC 7519).
  constructor(private readonly nowMs: () => number = Date.now) {
    // Expired records are also dropped on read; the sweep bounds memory for unread ones.
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  async put(hash: string, record: TokenRecord): Promise<void> {
    const groups = record.groups === undefined ? {} : { groups: [...record.groups] };
    this.records.set(hash, { ...record, scope: [...record.scope], ...groups });
  }

  async get(hash: string): Promise<TokenRecord | undefined> {
    const record = this.records.get(hash);
    if (!record) return undefined;
    if (record.exp * 1000 <= this.nowMs()) {
      this.records.delete(hash);
      return undefined;
    }
    return record;
  }

  async delete(hash: string): Promise<boolean> {
    return this.records.delete(hash);
  }

  async revokeSubject(sub: string, notBeforeMs: number): Promise<void> {
    this.notBefore.set(sub, Math.max(notBeforeMs, this.notBefore.get(sub) ?? 0));
  }

  async subjectNotBefore(sub: string): Promise<number | undefined> {
    return this.notBefore.get(sub);
  }

  /** Records held, expired ones included until swept (for metrics and tests). */
  get size(): number {
    return this.records.size;
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = this.nowMs();
    for (const [hash, record] of this.records) {
      if (record.exp * 1000 <= now) this.records.delete(hash);
    }
  }
}
