import { z } from 'zod';

import { ConfigError, type ConfigIssue } from './config.errors';
import { isSecret } from './env-fields';

export type ConfigShape = Record<string, z.ZodType>;
export type ConfigOf<S extends ConfigShape> = Readonly<z.output<z.ZodObject<S>>>;

/**
 * Parses the MLRUN_ variables a schema names, once, at start. Keys of the shape are the
 * variable names. Throws ConfigError naming every bad variable; the result is frozen.
 */
export function loadConfig<S extends ConfigShape>(
  shape: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConfigOf<S> {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    raw[key] = value === '' ? undefined : value;
  }
  const result = z.object(shape).safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => toConfigIssue(issue, raw, shape)));
  }
  return Object.freeze(result.data);
}

function toConfigIssue(
  issue: z.core.$ZodIssue,
  raw: Record<string, string | undefined>,
  shape: ConfigShape,
): ConfigIssue {
  const variable = String(issue.path[0] ?? '(config)');
  const value = raw[variable];
  if (value === undefined) return { variable, message: 'is required but not set' };
  // A secret's value never reaches an error message (it ends up in logs and terminals).
  const field = shape[variable];
  if (field && isSecret(field)) return { variable, message: issue.message };
  return { variable, message: `${issue.message} (got "${value}")` };
}

/** A copy safe to log: secret fields replaced by "[redacted]". */
export function redactConfig<S extends ConfigShape>(
  shape: S,
  config: ConfigOf<S>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  for (const [key, field] of Object.entries(shape)) {
    if (isSecret(field) && copy[key] !== undefined) copy[key] = '[redacted]';
  }
  return copy;
}

/** loadConfig over this process's environment with some variables set by the caller. */
export function loadConfigWith<S extends ConfigShape>(
  shape: S,
  overrides: Readonly<Record<string, string | undefined>>,
): ConfigOf<S> {
  return loadConfig(shape, { ...process.env, ...overrides });
}
