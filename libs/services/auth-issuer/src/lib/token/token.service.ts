import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';

import {
  formatScopes,
  TOKEN_AUDIENCE,
  tokenHash,
  tokenLogId,
  type TokenResponse,
} from '@ml-run/token-contract';
import { TOKEN_STORE, type TokenStore } from '@ml-run/token-store';

import { withTokenStore } from '../auth-issuer.errors';
import { TokenSigner } from '../jwt/token-signer';
import type { PasswordLogin } from './password-login.guard';
import { tokenLifetime } from './token-lifetime';
import { grantScopes } from './token-request';
import { TokenMetrics } from './token.metrics';

/** The lifetime of issued tokens in milliseconds (MLRUN_TOKEN_TTL). */
export const TOKEN_TTL_MS = Symbol('TOKEN_TTL_MS');

/** The password grant after PasswordLoginGuard: grant the scopes, mint and record a token. */
@Injectable()
export class TokenService {
  private readonly logger = new Logger(TokenService.name);

  constructor(
    @Inject(TOKEN_STORE) private readonly store: TokenStore,
    @Inject(TOKEN_TTL_MS) private readonly ttlMs: number,
    private readonly metrics: TokenMetrics,
    private readonly signer: TokenSigner,
  ) {}

  async issue({ user, requested }: PasswordLogin): Promise<TokenResponse> {
    return this.mint(user.username, grantScopes(user.scopes, requested), user.groups);
  }

  // Opaque: 256 random bits, unguessable, so the token itself needs no signature. Signed:
  // the same facts in the token. Either way only its hash is stored (a leaked store leaks
  // no usable tokens), and the record keeps introspection and revocation alike for both.
  private async mint(sub: string, scopes: string[], groups: string[]): Promise<TokenResponse> {
    const iatMs = Date.now();
    const { iat, exp, expiresIn } = tokenLifetime(iatMs, this.ttlMs);
    const token = this.signer.signs
      ? this.signer.sign({
          sub,
          scope: formatScopes(scopes),
          groups,
          aud: TOKEN_AUDIENCE,
          iat: iatMs / 1000,
          exp,
        }).token
      : `mlr_${randomBytes(32).toString('base64url')}`;
    const hash = tokenHash(token);
    const record = { sub, scope: scopes, groups, iat, exp, iatMs, aud: TOKEN_AUDIENCE };
    await withTokenStore(() => this.store.put(hash, record)).catch((error: unknown) => {
      this.metrics.failed('unavailable');
      this.logger.error({ err: error, sub }, 'token not recorded');
      throw error;
    });
    this.metrics.issued();
    const scope = formatScopes(scopes);
    this.logger.log({ sub, tokenId: tokenLogId(hash), scope, exp }, 'token issued');
    return { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope };
  }
}
