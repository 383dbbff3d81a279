import { randomBytes } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';

import {
  TOKEN_ISSUER,
  TOKEN_SIGNING_ALGORITHM,
  type TokenClaims,
  type TokenJwks,
} from '@ml-run/token-contract';

import type { SigningKeys } from './signing-keys';

/** What a signed token says; the signer adds `iss` and `jti`. */
export type TokenFacts = Omit<TokenClaims, 'iss' | 'jti'>;

/**
 * Signs tokens (MLRUN_TOKEN_FORMAT=jwt) with the current key, its kid in the header, and
 * publishes the JWKS; undefined keys (opaque format) publish an empty JWKS and sign nothing.
 */
export class TokenSigner {
  private readonly jwt: JwtService | undefined;

  constructor(private readonly keys: SigningKeys | undefined) {
    this.jwt =
      keys &&
      new JwtService({
        privateKey: keys.signing.key,
        signOptions: { algorithm: TOKEN_SIGNING_ALGORITHM, keyid: keys.signing.kid },
      });
  }

  get signs(): boolean {
    return this.jwt !== undefined;
  }

  /** The token and its jti. `iat` and `exp` go in as given, with their milliseconds. */
  sign(facts: TokenFacts): { token: string; jti: string } {
    if (!this.jwt) throw new Error('MLRUN_TOKEN_FORMAT is opaque: no signing key');
    const jti = randomBytes(16).toString('base64url');
    const claims: TokenClaims = { ...facts, iss: TOKEN_ISSUER, jti };
    // jsonwebtoken keeps a payload's own iat and exp (a NumericDate may carry decimals).
    return { token: this.jwt.sign(claims), jti };
  }

  get jwks(): TokenJwks {
    return this.keys?.jwks ?? { keys: [] };
  }
}
