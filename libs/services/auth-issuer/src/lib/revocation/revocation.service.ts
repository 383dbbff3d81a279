import { Inject, Injectable, Logger } from '@nestjs/common';

import type { EventPublisher } from '@ml-run/event-bus';
import {
  AuthErrorCode,
  isSignedToken,
  TOKEN_EVENTS_TOPIC,
  tokenHash,
  tokenLogId,
  type TokenRevokedEvent,
  type UserTokensRevokedEvent,
} from '@ml-run/token-contract';
import { TOKEN_STORE, type TokenRecord, type TokenStore } from '@ml-run/token-store';

import { OAuthError, withTokenStore } from '../auth-issuer.errors';
import { RevocationMetrics } from './revocation.metrics';

/** The publishing side of the event bus (memory in embedded mode, Kafka in cluster mode). */
export const EVENT_PUBLISHER = Symbol('EVENT_PUBLISHER');
/**
 * The same bus behind a durable outbox: `publish` resolves once the event is sent or safely
 * on disk, from where it is sent again, in order, until the bus takes it.
 */
export const DURABLE_EVENT_PUBLISHER = Symbol('DURABLE_EVENT_PUBLISHER');

/**
 * Revokes a token: its record leaves the store (validators stop accepting it) and
 * `token.revoked` tells every wrapper to drop it from its L1 cache.
 */
@Injectable()
export class RevocationService {
  private readonly logger = new Logger(RevocationService.name);

  constructor(
    @Inject(TOKEN_STORE) private readonly store: TokenStore,
    @Inject(EVENT_PUBLISHER) private readonly events: EventPublisher,
    @Inject(DURABLE_EVENT_PUBLISHER) private readonly durableEvents: EventPublisher,
    private readonly metrics: RevocationMetrics,
  ) {}

  async revoke(token: string): Promise<void> {
    const hash = tokenHash(token);
    const record = await withTokenStore(() => this.store.get(hash));
    // Unknown, expired or already revoked: nothing to announce, and (RFC 7009 §2.2) still 200.
    // Only the caller that actually deleted the record announces it.
    if (!record || !(await withTokenStore(() => this.store.delete(hash)))) return;
    await this.announce(hash, record, signedTokenId(token));
    this.metrics.revoked();
    this.logger.log({ sub: record.sub, tokenId: tokenLogId(hash) }, 'token revoked');
  }

  /**
   * Revokes every token `sub` holds now (an admin's revoke; the user removed, or their
   * password or groups changed): validators refuse them from the store write on, and
   * `user.tokens-revoked` makes every wrapper drop them from L1. A token minted later lives.
   * The event goes through the outbox: a bus that is away delays it, never loses it.
   */
  async revokeSubject(sub: string): Promise<{ sub: string; notBefore: string }> {
    const notBefore = Date.now();
    await withTokenStore(() => this.store.revokeSubject(sub, notBefore));
    const event: UserTokensRevokedEvent = {
      type: 'user.tokens-revoked',
      sub,
      notBefore: new Date(notBefore).toISOString(),
    };
    try {
      await this.durableEvents.publish(TOKEN_EVENTS_TOPIC, event);
    } catch (error) {
      // Neither sent nor written to the outbox (its disk refused it). The store already
      // refuses the tokens; wrappers holding one in L1 keep it until their L1 TTL ends.
      this.logger.error({ err: error, sub }, 'user-wide revocation event not published');
      throw new OAuthError(
        'temporarily_unavailable',
        AuthErrorCode.AuthUnavailable,
        `the tokens of ${sub} are revoked in the store, but replicas were not told; retry to tell them`,
        1,
      );
    }
    this.metrics.revoked();
    this.logger.log({ sub }, "user's tokens revoked");
    return { sub, notBefore: event.notBefore };
  }

  // All or nothing: without the event, wrappers would keep serving the token from L1, so
  // the record goes back and the client hears 503 (RFC 7009 §2.2.1) and retries.
  // A signed token's jti rides along: wrappers that verify signatures themselves denylist
  // it until the token's exp (the record's, to the millisecond).
  private async announce(hash: string, record: TokenRecord, jti?: string): Promise<void> {
    const event: TokenRevokedEvent = {
      type: 'token.revoked',
      tokenHash: hash,
      sub: record.sub,
      revokedAt: new Date().toISOString(),
      ...(jti !== undefined && {
        jti,
        expiresAt: new Date(Math.round(record.exp * 1000)).toISOString(),
      }),
    };
    try {
      await this.events.publish(TOKEN_EVENTS_TOPIC, event);
    } catch (error) {
      this.logger.error(
        { err: error, tokenId: tokenLogId(hash) },
        'revocation event not published',
      );
      // Putting the record back needs the store too; when it is away as well, say so (503).
      await withTokenStore(() => this.store.put(hash, record));
      throw new OAuthError(
        'temporarily_unavailable',
        AuthErrorCode.AuthUnavailable,
        'the revocation could not be announced; the token is still valid, retry shortly',
        1,
      );
    }
  }
}

// The jti of a token this issuer signed (its record was found, so no need to verify again).
function signedTokenId(token: string): string | undefined {
  if (!isSignedToken(token)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    return typeof claims?.jti === 'string' ? claims.jti : undefined;
  } catch {
    return undefined;
  }
}
