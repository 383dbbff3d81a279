// RFC 6750 §2.1: `Authorization: Bearer <b64token>`, and nothing else on this header.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export type BearerHeader =
  { kind: 'missing' } | { kind: 'malformed'; reason: string } | { kind: 'token'; token: string };

/** Whether the URL carries an OAuth `access_token` query parameter (refused). */
export function tokenInUrl(url: string): boolean {
  return /[?&]access_token=/.test(url);
}

/** Reads the bearer token of a request; a token in the URL is refused, never used. */
export function readBearerHeader(header: string | string[] | undefined, url: string): BearerHeader {
  if (tokenInUrl(url)) {
    return {
      kind: 'malformed',
      reason:
        'tokens in the URL are refused (they end up in logs); send Authorization: Bearer <token>',
    };
  }
  if (header === undefined || header === '') return { kind: 'missing' };
  if (Array.isArray(header))
    return { kind: 'malformed', reason: 'send exactly one Authorization header' };
  if (!/^Bearer\b/i.test(header)) return { kind: 'missing' };
  const match = BEARER.exec(header);
  if (!match?.[1])
    return { kind: 'malformed', reason: 'the Authorization header must be "Bearer <token>"' };
  return { kind: 'token', token: match[1] };
}
