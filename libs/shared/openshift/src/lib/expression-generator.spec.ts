import { goMathRand } from '../testing/go-math-rand';
import {
  cryptoRandomIndex,
  generateFromExpression,
  removeDuplicates,
} from './expression-generator';
import { TemplateError } from './template.errors';

// Vectors ported from openshift/library-go pkg/template/generator/expressionvalue_test.go.
// Upstream seeds Go's math/rand with 1337 per case; goMathRand reproduces those draws, so
// the expected strings are upstream's, character for character.
describe('generateFromExpression, upstream vectors (expressionvalue_test.go)', () => {
  it.each([
    ['test[A-Z0-9]{4}template', 'testQ3HVtemplate'],
    ['[\\d]{3}', '889'],
    ['[\\w]{20}', 'hiG4uRbcUDd5PEJLyHZ7'],
    ['[\\a]{10}', '4U390O49B9'],
    ['[\\A]{10}', ')^&-|_:[><'],
    ['strongPassword[\\w]{3}[\\A]{3}', 'strongPasswordhiG-|_'],
    ['admin[0-9]{2}[A-Z]{2}', 'admin78YB'],
    ['admin[0-9]{2}test[A-Z]{2}', 'admin78testYB'],
  ])('TestExpressionValueGenerator: %s gives %s', (expression, expected) => {
    const rand = goMathRand(1337);
    expect(generateFromExpression(expression, rand.intn)).toBe(expected);
  });

  it.each([
    ['abcdefgh', 'abcdefgh'],
    ['abcabc', 'abc'],
    ['1111111', '1'],
    ['1234567890', '1234567890'],
    ['test@@', 'tes@'],
  ])('TestRemoveDuplicatedCharacters: %s gives %s', (input, expected) => {
    expect(removeDuplicates(input)).toBe(expected);
  });

  it.each(['[ABC]{3}', '[Z-A]{3}', '[A-Z]{300}', '[A-Z]{0}'])(
    'TestExpressionValueGeneratorErrors: %s is refused',
    (expression) => {
      expect(() => generateFromExpression(expression, goMathRand(1337).intn)).toThrow(
        expect.objectContaining({ code: 'GENERATOR_INVALID' }),
      );
    },
  );
});

// Every draw returns the last index: shows which characters a range can yield.
const lastIndex = (size: number) => size - 1;
const firstIndex = () => 0;

describe('generateFromExpression, the alphabet rules', () => {
  it('a range excludes its last character (the upstream quirk)', () => {
    expect(generateFromExpression('[a-z]{1}', lastIndex)).toBe('y');
    expect(generateFromExpression('[0-9]{1}', lastIndex)).toBe('8');
    expect(generateFromExpression('[A-Z]{1}', lastIndex)).toBe('Y');
  });

  it('a range spans upstream alphabet order: [a-Z] is a..z then A..Y', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 51; i++) seen.add(generateFromExpression('[a-Z]{1}', () => i));
    expect([...seen].join('')).toBe('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY');
  });

  it('the classes: \\d digits, \\a letters and digits, \\w adds _, \\A symbols', () => {
    expect(generateFromExpression('[\\d]{1}', lastIndex)).toBe('9');
    expect(generateFromExpression('[\\a]{1}', lastIndex)).toBe('9');
    expect(generateFromExpression('[\\w]{1}', lastIndex)).toBe('_');
    expect(generateFromExpression('[\\A]{1}', firstIndex)).toBe('~');
  });

  it('keeps the text around groups and handles each group in turn', () => {
    expect(generateFromExpression('x[a-c]{2}-[0-2]{3}y', firstIndex)).toBe('xaa-000y');
    expect(generateFromExpression('no groups here', firstIndex)).toBe('no groups here');
  });

  it('refuses a range that yields nothing, where upstream panics', () => {
    expect(() => generateFromExpression('[a-a]{3}', firstIndex)).toThrow(/yields no character/);
  });

  it('draws lengths 1 and 255 and refuses 256', () => {
    expect(generateFromExpression('[a-c]{255}', firstIndex)).toHaveLength(255);
    expect(generateFromExpression('[a-c]{1}', firstIndex)).toHaveLength(1);
    expect(() => generateFromExpression('[a-c]{256}', firstIndex)).toThrow(TemplateError);
  });

  it('uses the crypto RNG by default: draws stay inside the range and differ', () => {
    const values = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const value = generateFromExpression('[a-zA-Z0-9]{16}');
      expect(value).toMatch(/^[a-yA-Y0-8]{16}$/);
      values.add(value);
    }
    expect(values.size).toBe(20);
    for (let i = 0; i < 200; i++) expect(cryptoRandomIndex(3)).toBeLessThan(3);
  });
});
