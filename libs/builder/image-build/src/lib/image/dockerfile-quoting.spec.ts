import { checkImageReference, dockerQuote } from './dockerfile-quoting';
import { ImageContextErrorCode } from './image.errors';

describe(dockerQuote.name, () => {
  it.each([
    ['plain', 'iris', '"iris"'],
    ['a double quote', 'say "hi"', '"say \\"hi\\""'],
    ['a dollar (no substitution)', '$HOME ${X:-y}', '"\\$HOME \\${X:-y}"'],
    ['a backslash', 'a\\b\\', '"a\\\\b\\\\"'],
    ['a single quote and a backtick', "it's `id`", '"it\'s `id`"'],
    ['a hash', '# not a comment', '"# not a comment"'],
  ])('quotes %s', (_name, value, quoted) => {
    expect(dockerQuote(value, 'value')).toBe(quoted);
  });

  it.each([
    ['a newline', 'a\nRUN id'],
    ['a carriage return', 'a\rb'],
    ['a tab', 'a\tb'],
    ['NUL', 'a\u0000b'],
    ['DEL', 'a\u007fb'],
  ])('refuses %s, naming the value', (_name, value) => {
    expect(() => dockerQuote(value, 'label run.ml.entry')).toThrow(
      expect.objectContaining({
        code: ImageContextErrorCode.UnsafeValue,
        message: expect.stringContaining('label run.ml.entry'),
      }),
    );
  });
});

describe(checkImageReference.name, () => {
  it.each([
    '127.0.0.1:5000/ml-run/base:abc123def456',
    'ml-run/base',
    'registry.example.com/a/b__c/d-e:v1.0',
    `base:1@sha256:${'a'.repeat(64)}`,
  ])('accepts %s', (reference) => {
    expect(checkImageReference(reference)).toBe(reference);
  });

  it.each([
    '',
    'Base:1',
    'base:1 AS builder',
    'base:${TAG}',
    'base:1\nRUN id',
    '/base',
    'base:',
    `base:${'x'.repeat(129)}`,
    `${'a/'.repeat(300)}b`,
  ])('refuses %j', (reference) => {
    expect(() => checkImageReference(reference)).toThrow(
      expect.objectContaining({ code: ImageContextErrorCode.InvalidOption }),
    );
  });
});
