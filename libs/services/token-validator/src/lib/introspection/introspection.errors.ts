import type { ErrorMapper, ErrorReply } from '@ml-run/server';
import { AuthErrorCode } from '@ml-run/token-contract';

export type TokenErrorCode = AuthErrorCode.InvalidRequest | AuthErrorCode.AuthUnavailable;

/** Why an introspection request got no answer about its token. */
export class TokenError extends Error {
  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

// Answers about tokens are never cached, failures included.
const NO_STORE = { 'cache-control': 'no-store' };

const REPLIES: Record<TokenErrorCode, Omit<ErrorReply, 'code' | 'message'>> = {
  // RFC 7662 §2.3 / RFC 6749 §5.2: invalid_request.
  [AuthErrorCode.InvalidRequest]: { status: 400, headers: NO_STORE },
  // Wrappers fail closed on 503: a store outage must never read as an inactive token.
  [AuthErrorCode.AuthUnavailable]: {
    status: 503,
    headers: { ...NO_STORE, 'retry-after': '1' },
  },
};

export const mapTokenError: ErrorMapper = (error) =>
  error instanceof TokenError
    ? { ...REPLIES[error.code], code: error.code, message: error.message }
    : undefined;
