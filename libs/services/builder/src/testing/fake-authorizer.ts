import type { Principal, RequestAuthorizer } from '@ml-run/builder-registry';
import type { ErrorReply } from '@ml-run/server';
import { scopeAllows } from '@ml-run/token-contract';

/** ada, a publisher: models:write:* and predict:*, in group publishers. */
export const WRITER_TOKEN = 'writer-token';
/** pat: a valid token with predict:* only. */
export const READER_TOKEN = 'reader-token';
/** val: models:read:* only (reads every model, writes none). */
export const VIEWER_TOKEN = 'viewer-token';
/** root: admin. */
export const ADMIN_TOKEN = 'admin-token';

/** What a token grants: its user, scopes and groups. */
export type FakeGrant = { sub: string; scopes: string[]; groups?: string[] };

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
  readonly tokens = new Map<string, FakeGrant>([
    [WRITER_TOKEN, { sub: 'ada', scopes: ['models:write:*', 'predict:*'], groups: ['publishers'] }],
    [READER_TOKEN, { sub: 'pat', scopes: ['predict:*'] }],
    [VIEWER_TOKEN, { sub: 'val', scopes: ['models:read:*'] }],
    [ADMIN_TOKEN, { sub: 'root', scopes: ['admin'], groups: ['admins'] }],
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
    if (requiredScope !== undefined && !scopeAllows(grant.scopes, requiredScope)) {
      throw new FakeRefusal(403, `this needs scope ${requiredScope}`);
    }
    return {
      sub: grant.sub,
      tokenId: token.slice(0, 4),
      scopes: grant.scopes,
      groups: grant.groups ?? [],
    };
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
