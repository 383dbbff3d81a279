/** The services the console reaches through the builder (docs/security.md, "Console"). */
export type ConsoleUpstream = 'issuer' | 'router';

/** A request the proxy may forward: the upstream and the path (and query) to ask it for. */
export type AllowedCall = { upstream: ConsoleUpstream; path: string };

type Entry = { method: string; pattern: RegExp; query?: readonly string[] };

// A name segment as the services name things (users, models, versions like 1.0.0+6526c66f):
// characters that need no percent-encoding, so what is checked is what is sent. `.` and
// `..` are not names: a segment must start with a letter or digit.
const NAME = '[A-Za-z0-9][A-Za-z0-9._+@-]{0,127}';

// The console's whole need, nothing more (CONSOLE-DESIGN.md): each path is matched on the
// raw request path, exactly, so no encoding, dot segment or doubled slash can reach
// another route of the upstream.
const ALLOWLIST: Record<ConsoleUpstream, readonly Entry[]> = {
  issuer: [
    { method: 'POST', pattern: /^v1\/auth\/token$/ },
    { method: 'POST', pattern: /^v1\/auth\/revoke$/ },
    { method: 'GET', pattern: /^v1\/users$/ },
    { method: 'POST', pattern: /^v1\/users$/ },
    { method: 'DELETE', pattern: new RegExp(`^v1/users/${NAME}$`) },
    { method: 'POST', pattern: new RegExp(`^v1/users/${NAME}/revoke-tokens$`) },
    { method: 'GET', pattern: /^v1\/groups$/ },
  ],
  router: [
    { method: 'POST', pattern: new RegExp(`^v1/models/${NAME}/predict$`), query: ['alias'] },
    { method: 'POST', pattern: new RegExp(`^v1/models/${NAME}/versions/${NAME}/predict$`) },
  ],
};

/**
 * The call to forward for `method` and the raw URL after `/console/api/<upstream>/`, or
 * undefined when it is not on the allowlist. Only the query parameters an entry names are
 * passed on (re-encoded); any other is dropped.
 */
export function allowedCall(
  upstream: ConsoleUpstream,
  method: string,
  rawRest: string,
): AllowedCall | undefined {
  const queryAt = rawRest.indexOf('?');
  const rawPath = queryAt === -1 ? rawRest : rawRest.slice(0, queryAt);
  const entry = ALLOWLIST[upstream].find((e) => e.method === method && e.pattern.test(rawPath));
  if (entry === undefined) return undefined;
  const query = queryAt === -1 ? '' : keptQuery(rawRest.slice(queryAt + 1), entry.query ?? []);
  return { upstream, path: `/${rawPath}${query}` };
}

function keptQuery(raw: string, names: readonly string[]): string {
  const given = new URLSearchParams(raw);
  const kept = new URLSearchParams();
  for (const name of names) {
    const value = given.get(name);
    if (value !== null) kept.set(name, value);
  }
  const text = kept.toString();
  return text === '' ? '' : `?${text}`;
}
