import { Inject, Injectable, Logger } from '@nestjs/common';

import {
  AuthErrorCode,
  formatScopes,
  TOKEN_AUDIENCE,
  tokenHash,
  tokenLogId,
  type IntrospectionResponse,
} from '@ml-run/token-contract';
import {
  findLiveRecord,
  TOKEN_STORE,
  type TokenRecord,
  type TokenStore,
} from '@ml-run/token-store';

import { TokenError } from './introspection.errors';
import { IntrospectionMetrics, type IntrospectionResult } from './introspection.metrics';

const INACTIVE: IntrospectionResponse = Object.freeze({ active: false });

/** RFC 7662 answers from the token store; the token itself is never kept or logged. */
@Injectable()
export class IntrospectionService {
  private readonly logger = new Logger(IntrospectionService.name);

  constructor(
    @Inject(TOKEN_STORE) private readonly store: TokenStore,
    private readonly metrics: IntrospectionMetrics,
  ) {}

  async introspect(token: string): Promise<IntrospectionResponse> {
    const started = performance.now();
    const hash = tokenHash(token);
    let result: IntrospectionResult = 'error';
    try {
      const answer = toResponse(await this.lookUp(hash), Date.now());
      result = answer.active ? 'active' : 'inactive';
      this.logger.debug({ tokenId: tokenLogId(hash), active: answer.active }, 'token introspected');
      return answer;
    } finally {
      this.metrics.observe(result, (performance.now() - started) / 1000);
    }
  }

  private async lookUp(hash: string): Promise<TokenRecord | undefined> {
    try {
      return await findLiveRecord(this.store, hash);
    } catch (error) {
      this.logger.error({ err: error }, 'token store lookup failed');
      throw new TokenError(
        AuthErrorCode.AuthUnavailable,
        'the token store is unavailable, so the token cannot be checked; retry shortly',
      );
    }
  }
}

// The store drops expired records, but its clock and ours may differ: check again here.
// exp may have a fraction (sub-second lifetimes): compared in milliseconds, passed on as is.
function toResponse(record: TokenRecord | undefined, nowMs: number): IntrospectionResponse {
  if (!record || record.exp * 1000 <= nowMs) return INACTIVE;
  return {
    active: true,
    sub: record.sub,
    scope: formatScopes(record.scope),
    // An older record without groups: the user is in none, as far as this token says.
    groups: [...(record.groups ?? [])],
    aud: TOKEN_AUDIENCE,
    exp: record.exp,
    iat: record.iat,
    token_type: 'Bearer',
  };
}
