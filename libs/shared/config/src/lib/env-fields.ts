import { z } from 'zod';

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

export function stringVar(options: { default?: string; pattern?: RegExp; hint?: string } = {}) {
  let field = z.string().trim().min(1, 'must not be empty');
  if (options.pattern)
    field = field.regex(options.pattern, options.hint ?? `must match ${options.pattern}`);
  return options.default === undefined ? field : field.default(options.default);
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

export function isSecret(field: z.ZodType): boolean {
  return field.meta()?.[SECRET] === true;
}

/** A TCP port; 0 lets the kernel pick a free one (tests, side-by-side replicas). */
export function portVar(fallback: number) {
  return intVar({ min: 0, max: 65535, default: fallback });
}
