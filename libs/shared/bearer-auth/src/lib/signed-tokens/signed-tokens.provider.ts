import { fetchJwks } from './fetch-jwks';
import { JwksKeys } from './jwks-keys';
import { SignedTokenVerifier } from './signed-token-verifier';

/** The wrapper's SignedTokenVerifier, or null when it verifies no tokens itself. */
export const SIGNED_TOKENS = Symbol('SIGNED_TOKENS');

export type SignedTokenSettings = {
  /** The issuer's JWKS (MLRUN_TOKEN_JWKS_URL), e.g. http://auth-issuer:8091/v1/auth/jwks. */
  jwksUrl: string;
  timeoutMs: number;
};

// The JWKS's own Cache-Control max-age; an unknown kid reads it again at most every 10 s.
const JWKS_MAX_AGE_MS = 300_000;
const UNKNOWN_KID_REFRESH_MS = 10_000;

export function signedTokenVerifier(
  settings: SignedTokenSettings | undefined,
): SignedTokenVerifier | null {
  if (settings === undefined) return null;
  const keys = new JwksKeys({
    fetch: () => fetchJwks(settings.jwksUrl, settings.timeoutMs),
    minRefreshIntervalMs: UNKNOWN_KID_REFRESH_MS,
    maxAgeMs: JWKS_MAX_AGE_MS,
  });
  return new SignedTokenVerifier(keys);
}
