import { TemplateError } from './template.errors';

// The two reference forms of library-go pkg/template/templateprocessing/template.go:
// `${NAME}` anywhere in a string, `${{NAME}}` only as the whole string.
const STRING_REFERENCE = /\$\{([a-zA-Z0-9_]+?)\}/g;
const WHOLE_VALUE_REFERENCE = /^\$\{\{([a-zA-Z0-9_]+)\}\}$/;

/** Whether a string holds a `${NAME}` reference (the test upstream strips namespaces by). */
export const hasStringReference = (text: string): boolean =>
  new RegExp(STRING_REFERENCE.source).test(text);

/** A substituted string, and whether it came from `${{NAME}}` (then its JSON value counts). */
export type Substituted = {
  text: string;
  wholeValue: boolean;
};

/**
 * Substitutes parameter references in one string as upstream does. References to names
 * that are not parameters stay as they are. No recursion: a value that itself holds
 * `${X}` is not expanded again, with one upstream quirk kept: each `${NAME}` found in the
 * original string replaces the first occurrence of that text in the string built so far,
 * which may be one a previous value brought in.
 */
export function substitute(values: ReadonlyMap<string, string>, input: string): Substituted {
  const whole = WHOLE_VALUE_REFERENCE.exec(input);
  if (whole && values.has(whole[1])) return { text: values.get(whole[1]) ?? '', wholeValue: true };
  let text = input;
  for (const [reference, name] of input.matchAll(STRING_REFERENCE)) {
    const value = values.get(name);
    if (value !== undefined) text = text.replace(reference, () => value);
  }
  return { text, wholeValue: false };
}

/** Marks a value to remove: upstream deletes a map entry whose `${{NAME}}` value is JSON null. */
const REMOVED = Symbol('removed');

/**
 * Substitutes every string of a decoded object, map keys included, as upstream's visitor
 * does. A `${{NAME}}` string becomes the JSON its value parses to (number, boolean,
 * object, list), or stays the string when it does not parse.
 */
export function substituteObject(
  values: ReadonlyMap<string, string>,
  value: unknown,
  path: string,
): unknown {
  const result = visit(values, value, path);
  return result === REMOVED ? null : result;
}

function visit(values: ReadonlyMap<string, string>, value: unknown, path: string): unknown {
  if (typeof value === 'string') {
    const { text, wholeValue } = substitute(values, value);
    if (!wholeValue) return text;
    const decoded = decodeJson(text);
    if (decoded === undefined) return text;
    return decoded === null ? REMOVED : decoded;
  }
  if (Array.isArray(value)) return visitList(values, value, path);
  if (typeof value === 'object' && value !== null)
    return visitMap(values, value as Record<string, unknown>, path);
  return value;
}

function visitList(values: ReadonlyMap<string, string>, list: unknown[], path: string): unknown[] {
  return list.map((item, i) => {
    const result = visit(values, item, `${path}[${i}]`);
    if (result === REMOVED)
      // Upstream panics setting a list element to JSON null.
      throw new TemplateError(
        'PARAMETER_INVALID',
        `${path}[${i}] is a \${{...}} reference to a parameter whose value is null, which cannot be a list element: give it another value`,
      );
    return result;
  });
}

function visitMap(
  values: ReadonlyMap<string, string>,
  map: Record<string, unknown>,
  path: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  for (const [key, item] of Object.entries(map)) {
    const newKey = substitutedKey(values, key, path);
    const previous = origins.get(newKey);
    if (previous !== undefined)
      // Upstream's result would depend on Go's random map order; refuse instead.
      throw new TemplateError(
        'PARAMETER_INVALID',
        `${path}: keys ${JSON.stringify(previous)} and ${JSON.stringify(key)} both become ${JSON.stringify(newKey)} after substitution: make them differ`,
      );
    origins.set(newKey, key);
    const result = visit(values, item, `${path}.${newKey}`);
    // defineProperty: a key named __proto__ is data here, not the prototype.
    if (result !== REMOVED)
      Object.defineProperty(out, newKey, {
        value: result,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

function substitutedKey(values: ReadonlyMap<string, string>, key: string, path: string): string {
  const { text, wholeValue } = substitute(values, key);
  if (!wholeValue) return text;
  const decoded = decodeJson(text);
  if (decoded === undefined || typeof decoded === 'string') return decoded ?? text;
  // Upstream panics: a map key cannot take a number, boolean or object.
  throw new TemplateError(
    'PARAMETER_INVALID',
    `${path}: key ${JSON.stringify(key)} would become the JSON value ${text}, not a string: use \${NAME} in keys`,
  );
}

/**
 * The value Go's encoding/json gives a string, or undefined where it fails (then upstream
 * keeps the string). JSON.parse accepts the same texts except numbers beyond float64,
 * which Go refuses and JavaScript turns into Infinity.
 */
function decodeJson(text: string): unknown {
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch {
    return undefined;
  }
  return allFinite(decoded) ? decoded : undefined;
}

function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite);
  return true;
}
