import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { TOKEN_EVENTS_TOPIC, tokenLogId, type TokenEvent } from '@ml-run/token-contract';

import { AuthorizationMetrics } from './authorization.metrics';
import { L1TokenCache } from './l1-token-cache';
import { REVOCATION_FEED, type RevocationFeed } from './revocation-feed';
import type { SignedTokenVerifier } from './signed-tokens/signed-token-verifier';
import { SIGNED_TOKENS } from './signed-tokens/signed-tokens.provider';

/**
 * Evicts revoked tokens from L1 (docs/architecture.md §3.6); after a gap in events, drops all
 * of L1. Signed tokens verified here also go on a denylist (by jti, until their exp), and
 * user-wide revocations are kept for them.
 */
@Injectable()
export class RevocationListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationListener.name);
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(REVOCATION_FEED) private readonly events: RevocationFeed,
    private readonly cache: L1TokenCache,
    private readonly metrics: AuthorizationMetrics,
    @Inject(SIGNED_TOKENS) private readonly signed: SignedTokenVerifier | null,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.events.subscribe(TOKEN_EVENTS_TOPIC, (event) => this.onEvent(event), {
      // Revocations may have been missed: forget every cached answer rather than trust one.
      onGap: () => {
        this.cache.clear();
        this.signed?.gap();
        this.logger.warn('token events resumed after a gap; L1 cache cleared');
      },
    });
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  private onEvent(event: TokenEvent): void {
    if (event.type === 'user.tokens-revoked') {
      const notBefore = Date.parse(event.notBefore);
      // An unreadable time revokes everything the user holds: fail closed.
      const until = Number.isNaN(notBefore) ? Date.now() : notBefore;
      this.signed?.revokeSubject(event.sub, until);
      const dropped = this.cache.revokeSubject(event.sub, until, Date.now());
      this.metrics.revocations.inc();
      this.logger.log({ sub: event.sub, dropped }, "user's tokens revoked");
      return;
    }
    if (event.type !== 'token.revoked') return;
    if (event.jti !== undefined) this.signed?.deny(event.jti, Date.parse(event.expiresAt ?? ''));
    const wasCached = this.cache.revoke(event.tokenHash, Date.now());
    this.metrics.revocations.inc();
    this.logger.log(
      { tokenId: tokenLogId(event.tokenHash), sub: event.sub, wasCached },
      'token revoked',
    );
  }
}
