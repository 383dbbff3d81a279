// Secrets never reach a log line: headers that carry credentials and any field that
// names a password, token or secret, at the top level or one level down.
//
// pino's own `redact` (fast-redact's successor) runs a wildcard stringifier on every field
// of every line because of the `*.x` paths: ~4 µs a request on the completion line alone,
// which carries no secret. This checks the few keys by name and copies only what it censors.

const CENSOR = '[redacted]';
const SECRET_KEYS = new Set(['password', 'token', 'secret']);
const NESTED_SECRET_KEYS = new Set(['password', 'token', 'secret', 'access_token']);
const SECRET_HEADERS = ['authorization', 'cookie', 'x-service-token'];

/** The field paths censored, as pino's redact paths (for docs and tests). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-service-token"]',
  ...[...SECRET_KEYS],
  ...[...NESTED_SECRET_KEYS].map((key) => `*.${key}`),
];

type Fields = Record<string, unknown>;

/** `fields` with every secret censored; the same object when it holds none (the usual case). */
export function redactSecrets(fields: Fields): Fields {
  let copy: Fields | undefined;
  for (const key in fields) {
    const value = fields[key];
    if (SECRET_KEYS.has(key)) {
      if (value === undefined) continue;
      copy ??= { ...fields };
      copy[key] = CENSOR;
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const inner = redactNested(key, value as Fields);
      if (inner !== value) {
        copy ??= { ...fields };
        copy[key] = inner;
      }
    }
  }
  return copy ?? fields;
}

function redactNested(key: string, value: Fields): Fields {
  // An Error keeps its class (the err serializer reads its stack and own fields).
  if (value instanceof Error) return value;
  let copy: Fields | undefined;
  for (const inner in value) {
    if (NESTED_SECRET_KEYS.has(inner) && value[inner] !== undefined) {
      copy ??= { ...value };
      copy[inner] = CENSOR;
    }
  }
  if (key === 'req') {
    const headers = (copy ?? value)['headers'];
    if (typeof headers === 'object' && headers !== null) {
      const censored = redactHeaders(headers as Fields);
      if (censored !== headers) {
        copy ??= { ...value };
        copy['headers'] = censored;
      }
    }
  }
  return copy ?? value;
}

function redactHeaders(headers: Fields): Fields {
  let copy: Fields | undefined;
  for (const name of SECRET_HEADERS) {
    if (headers[name] === undefined) continue;
    copy ??= { ...headers };
    copy[name] = CENSOR;
  }
  return copy ?? headers;
}
