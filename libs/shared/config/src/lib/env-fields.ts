import { z } from 'zod';

import { formatDuration, parseDuration } from './duration';

// Field builders for MLRUN_ variables: each parses the raw string and states, in its
// error, what a valid value looks like.

const SECRET = 'mlrun:secret';

export function intVar(options: { min: number; max: number; default?: number }) {
  const range = `an integer between ${options.min} and ${options.max}`;
  const field = z
    .string()
    .trim()
    .regex(/^-?\d+$/, `must be ${range}`)
    .transform(Number)
    .pipe(
      z.number().int().min(options.min, `must be ${range}`).max(options.max, `must be ${range}`),
    );
  return options.default === undefined ? field : field.default(options.default);
}

/**
 * A lifetime or interval, in milliseconds: 250ms, 1.5s, 2m, 1h, 7d, or a bare whole number
 * of seconds (so values written before units keep their meaning). min, max and default
 * are in milliseconds.
 */
export function durationVar(options: { min: number; max: number; default?: number }) {
  const message =
    'must be a duration such as 250ms, 1.5s, 2m or a whole number of seconds, ' +
    `between ${formatDuration(options.min)} and ${formatDuration(options.max)}`;
  const field = z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms !== undefined && ms >= options.min && ms <= options.max) return ms;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
  return options.default === undefined ? field : field.default(options.default);
}

export function stringVar(options: { default?: string; pattern?: RegExp; hint?: string } = {}) {
  let field = z.string().trim().min(1, 'must not be empty');
  if (options.pattern)
    field = field.regex(options.pattern, options.hint ?? `must match ${options.pattern}`);
  return options.default === undefined ? field : field.default(options.default);
}

const HOST_NAME = String.raw`[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?`;
const IPV6_LITERAL = String.raw`\[[0-9A-Fa-f:.]+\]`;

/**
 * A comma-separated list of host:port with ports 1-65535 (Kafka brokers, Ignite nodes),
 * kept as written: splitHostPortList gives the entries. `ipv6` also takes [::1]:10800.
 */
export function hostPortListVar(options: { example: string; ipv6?: boolean }) {
  const host = options.ipv6 ? `(?:${HOST_NAME}|${IPV6_LITERAL})` : HOST_NAME;
  const entry = new RegExp(`^${host}:(\\d{1,5})$`);
  const isEntry = (value: string) => {
    const port = Number(entry.exec(value)?.[1] ?? 0);
    return port >= 1 && port <= 65_535;
  };
  // One check, so a bad value makes one issue, not one per failed rule.
  return stringVar().refine(
    (list) => splitHostPortList(list).every(isEntry),
    `must be a comma-separated list of host:port, e.g. ${options.example}`,
  );
}

export function splitHostPortList(list: string): string[] {
  return list.split(',').map((entry) => entry.trim());
}

const LISTEN_HOST = new RegExp(`^(?:${HOST_NAME}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)$`);

/**
 * The addresses a server listens on, comma-separated, all on its one port: 127.0.0.1 for
 * local callers, plus an address that callers elsewhere reach (a node address pods call).
 * Kept as written; splitHostPortList gives the entries, the first is the service's URL.
 */
export function listenHostsVar(fallback: string) {
  const isList = (list: string) => {
    const hosts = splitHostPortList(list);
    return hosts.every((host) => LISTEN_HOST.test(host)) && new Set(hosts).size === hosts.length;
  };
  return stringVar({ default: fallback }).refine(
    isList,
    'must be an address or a comma-separated list of distinct addresses, e.g. 127.0.0.1,10.213.0.1',
  );
}

export function enumVar<const T extends readonly [string, ...string[]]>(
  values: T,
  fallback?: T[number],
) {
  const field = z.enum(values, { error: () => `must be one of ${values.join(', ')}` });
  return fallback === undefined ? field : field.default(fallback as never);
}

export function boolVar(fallback: boolean) {
  return z
    .enum(['true', 'false', '1', '0'], { error: () => 'must be true or false' })
    .transform((v) => v === 'true' || v === '1')
    .default(fallback);
}

type SecretOptions = { minLength?: number; hint?: string };

/** A secret never has a default, is redacted by redactConfig and never echoed in errors. */
export function secretVar(options: SecretOptions = {}) {
  return secretField(options).meta({ [SECRET]: true });
}

/** An optional secret: unset means the feature that needs it is off or self-generated. */
export function optionalSecretVar(options: SecretOptions = {}) {
  return secretField(options)
    .optional()
    .meta({ [SECRET]: true });
}

function secretField({ minLength = 1, hint }: SecretOptions) {
  const message =
    hint ?? (minLength > 1 ? `must be at least ${minLength} characters` : 'must not be empty');
  return z.string().min(minLength, message);
}

/** Marks a field as a secret (redacted, never echoed); the last step of building it. */
export function markSecret<T extends z.ZodType>(field: T): T {
  return field.meta({ [SECRET]: true });
}

export function isSecret(field: z.ZodType): boolean {
  return field.meta()?.[SECRET] === true;
}

/** A TCP port; 0 lets the kernel pick a free one (tests, side-by-side replicas). */
export function portVar(fallback: number) {
  return intVar({ min: 0, max: 65535, default: fallback });
}
