import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { RestartBackoff } from '@ml-run/async';
import { USER_DIRECTORY, type UserDirectory } from '@ml-run/user-directory';

import { RevocationService } from '../revocation/revocation.service';

const RETRY = { initialMs: 200, maxMs: 10_000, resetAfterMs: Number.POSITIVE_INFINITY };

/**
 * A user removed, or whose password or groups changed through ML-RUN (the users file),
 * loses every token issued before the change. LDAP has no change feed: there, a change
 * takes effect as tokens expire, or by an admin's revoke.
 */
@Injectable()
export class UserChangeRevoker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UserChangeRevoker.name);
  private stop?: () => void;
  // Users whose revocation has not been stored yet: kept until it is, never dropped.
  private readonly pending = new Set<string>();
  private backoff = new RestartBackoff(RETRY);
  private retry?: NodeJS.Timeout;
  private flushing = false;

  constructor(
    @Inject(USER_DIRECTORY) private readonly users: UserDirectory,
    private readonly revocations: RevocationService,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = this.users.watchChanges?.((usernames) => {
      for (const sub of usernames) this.pending.add(sub);
      void this.revokeAll();
    });
  }

  onApplicationShutdown(): void {
    this.stop?.();
    clearTimeout(this.retry);
  }

  // Everything issued until the change is noticed goes, a login with the new password in
  // that half second included: the file's mtime is too coarse (a clock tick) to split the
  // tokens issued just before the change from those just after it, and safety comes first.
  // A store failure (Ignite away) is tried again with backoff until it succeeds; the event
  // itself waits in the outbox while Kafka is away.
  private async revokeAll(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (const sub of [...this.pending]) {
        try {
          await this.revocations.revokeSubject(sub);
          this.pending.delete(sub);
          this.logger.log({ sub }, 'user changed; tokens revoked');
        } catch (error) {
          this.logger.error({ err: error, sub }, 'user changed; tokens not revoked yet, retrying');
        }
      }
    } finally {
      this.flushing = false;
    }
    if (this.pending.size === 0) this.backoff = new RestartBackoff(RETRY);
    else if (this.retry === undefined) {
      this.retry = setTimeout(() => {
        this.retry = undefined;
        void this.revokeAll();
      }, this.backoff.next());
      this.retry.unref();
    }
  }
}
