import { randomInt } from 'node:crypto';

import { TemplateError } from './template.errors';

/**
 * The `generate: expression` generator of `oc process`, ported in behaviour from
 * openshift/library-go pkg/template/generator/expressionvalue.go (not its code).
 *
 * `from` is text with `[ranges]{length}` groups; each group becomes `length` (1..255)
 * characters drawn from its ranges: `a-z`-style ranges, `\w` (letters, digits, _), `\d`
 * (digits), `\a` (letters and digits) and `\A` (symbols). Text outside groups is kept.
 *
 * Upstream quirks kept on purpose, so that a template means here what it means to `oc`:
 *   - A range excludes its last character: a range is the slice of upstream's alphabet
 *     `a..zA..Z0..9` + symbols from the first character up to, not including, the last, so
 *     `[a-z]` draws from a..y, `[0-9]` from 0..8 and `[A-Z0-9]` from A..Y and 0..8. A range
 *     can span the alphabet's order: `[a-Z]` is a..z and A..Y.
 *   - A group needs at least one `x-y` range or a class: `[ABC]{3}` is malformed.
 *   - The characters of several ranges are de-duplicated in upstream's order-changing way,
 *     which matters only for reproducing upstream's draws from a seeded source.
 * Where upstream panics (a range that yields no character, e.g. `[a-a]{3}`) this throws.
 */

/** A uniform random integer in [0, size). */
export type RandomIndex = (size: number) => number;

/** Draws from the operating system's CSPRNG (upstream draws from math/rand seeded by the clock). */
export const cryptoRandomIndex: RandomIndex = (size) => randomInt(size);

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const SYMBOLS = '~!@#$%^&*()-_+={}[]\\|<,>.?/"\';:`';
const ASCII = LETTERS + DIGITS + SYMBOLS;

const CLASSES: Record<string, string> = {
  '\\w': LETTERS + DIGITS + '_',
  '\\d': DIGITS,
  '\\a': LETTERS + DIGITS,
  '\\A': SYMBOLS,
};

// The three patterns of upstream, same semantics (leftmost-first, as Go's RE2 and JS agree).
const GROUP = /\[([a-zA-Z0-9\-\\]+)\](\{([0-9]+)\})/;
const RANGE = /([\\]?[a-zA-Z0-9]-?[a-zA-Z0-9]?)/g;
const WELL_FORMED = /\[(\\w|\\d|\\a|\\A)|([a-zA-Z0-9]-[a-zA-Z0-9])+\]/;

/** The value `generate: expression` makes of `from`. */
export function generateFromExpression(
  expression: string,
  randomIndex: RandomIndex = cryptoRandomIndex,
): string {
  let out = expression;
  for (let match = GROUP.exec(out); match; match = GROUP.exec(out)) {
    const group = match[0];
    const brace = group.lastIndexOf('{');
    const ranges = group.slice(0, brace);
    if (!WELL_FORMED.test(ranges))
      throw generatorError(
        `"${ranges}" in "${expression}" has no range: write ranges like [a-zA-Z0-9] or a class \\w, \\d, \\a, \\A`,
      );
    const length = Number(group.slice(brace + 1, -1));
    if (!(length > 0 && length <= 255))
      throw generatorError(
        `${group} in "${expression}" asks for ${length} characters: use 1 to 255`,
      );
    const alphabet = alphabetOf(ranges, expression);
    let generated = '';
    for (let i = 0; i < length; i++) generated += alphabet[randomIndex(alphabet.length)];
    // Upstream replaces the first occurrence of the group's text, which is this match.
    out = out.replace(group, () => generated);
  }
  return out;
}

function alphabetOf(ranges: string, expression: string): string {
  let alphabet = '';
  for (const [token] of ranges.matchAll(RANGE)) {
    const from = token[0];
    const to = token[token.length - 1];
    const pair = from + to;
    if (pair in CLASSES) {
      alphabet += CLASSES[pair];
      continue;
    }
    const left = ASCII.indexOf(from);
    const right = ASCII.lastIndexOf(to);
    if (left > right)
      throw generatorError(
        `invalid range ${from}-${to} in "${expression}": put the lower character first`,
      );
    alphabet += ASCII.slice(left, right); // excludes `to`: the upstream quirk
  }
  const unique = removeDuplicates(alphabet);
  if (unique.length === 0)
    throw generatorError(
      `${ranges} in "${expression}" yields no character (a range excludes its last one): widen it, e.g. [a-b] for a`,
    );
  return unique;
}

/**
 * Drops repeated characters the way upstream does: each later duplicate is overwritten by
 * the last character and the string shortened, so the order changes ("test@@" -> "tes@").
 * Exported for its spec, which checks upstream's own vectors.
 */
export function removeDuplicates(input: string): string {
  const data = [...input];
  let last = data.length - 1;
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last; j++) {
      if (data[i] === data[j]) {
        data[j] = data[last];
        data.length = last;
        last--;
        j--;
      }
    }
  }
  return data.join('');
}

const generatorError = (message: string) => new TemplateError('GENERATOR_INVALID', message);
