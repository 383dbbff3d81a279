import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { USER_DIRECTORY, type UserDirectory } from '@ml-run/user-directory';

import { RevocationService } from '../revocation/revocation.service';

/**
 * A user removed, or whose password or groups changed through ML-RUN (the users file),
 * loses every token issued before the change. LDAP has no change feed: there, a change
 * takes effect as tokens expire, or by an admin's revoke.
 */
@Injectable()
export class UserChangeRevoker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UserChangeRevoker.name);
  private stop?: () => void;

  constructor(
    @Inject(USER_DIRECTORY) private readonly users: UserDirectory,
    private readonly revocations: RevocationService,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = this.users.watchChanges?.((usernames) => void this.revokeAll(usernames));
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  // Everything issued until the change is noticed goes, a login with the new password in
  // that half second included: the file's mtime is too coarse (a clock tick) to split the
  // tokens issued just before the change from those just after it, and safety comes first.
  private async revokeAll(usernames: readonly string[]): Promise<void> {
    for (const sub of usernames) {
      try {
        await this.revocations.revokeSubject(sub);
        this.logger.log({ sub }, 'user changed; tokens revoked');
      } catch (error) {
        this.logger.error({ err: error, sub }, 'user changed; tokens not revoked');
      }
    }
  }
}
