import type { ErrorReply } from '@ml-run/server';

import type { Principal, RequestAuthorizer } from '../lib/authorization/request-authorizer.port';

/** A token with models:write. */
export const WRITER_TOKEN = 'writer-token';
/** A valid token without models:write. */
export const READER_TOKEN = 'reader-token';

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

class FakeRefusal extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/** Stands in for TokenAuthorizer: a fixed set of tokens, RFC 6750 style refusals. */
export class FakeAuthorizer implements RequestAuthorizer {
  readonly tokens = new Map<string, { sub: string; scopes: string[] }>([
    [WRITER_TOKEN, { sub: 'ada', scopes: ['models:write'] }],
    [READER_TOKEN, { sub: 'pat', scopes: ['predict:*'] }],
  ]);
  calls = 0;

  authorize(
    header: string | string[] | undefined,
    _url: string,
    requiredScope: string | undefined,
  ): Principal {
    this.calls++;
    const token = typeof header === 'string' ? /^Bearer (.+)$/.exec(header)?.[1] : undefined;
    if (token === undefined) throw new FakeRefusal(401, 'send Authorization: Bearer <token>');
    const grant = this.tokens.get(token);
    if (grant === undefined) throw new FakeRefusal(401, 'the token is not valid');
    if (requiredScope !== undefined && !grant.scopes.includes(requiredScope)) {
      throw new FakeRefusal(403, `this needs scope ${requiredScope}`);
    }
    return { sub: grant.sub, tokenId: token.slice(0, 4) };
  }

  refusalReply(error: unknown): ErrorReply | undefined {
    if (!(error instanceof FakeRefusal)) return undefined;
    const code = error.status === 401 ? 'INVALID_TOKEN' : 'INSUFFICIENT_SCOPE';
    const challenge = error.status === 401 ? 'invalid_token' : 'insufficient_scope';
    return {
      status: error.status,
      code,
      message: error.message,
      headers: { 'www-authenticate': `Bearer realm="ml-run", error="${challenge}"` },
    };
  }
}
