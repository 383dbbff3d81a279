import { versionVectors } from '../../testing/test-vectors';
import { ContractErrorCode } from '../contract.errors';
import {
  coefficientsDigest,
  EMPTY_COEFFICIENTS_DIGEST,
  modelVersion,
  parseModelVersion,
} from './model-version';

const SHA = 'a'.repeat(64);

describe(coefficientsDigest.name, () => {
  it.each(versionVectors().map((v) => [v.name, v] as const))('matches the vector: %s', (_n, v) => {
    const files = v.files.map(([path, sha256]) => ({ path, sha256 }));
    expect(coefficientsDigest(files)).toBe(v.digest);
  });

  it('gives the sha256 of the empty string for no files', () => {
    expect(coefficientsDigest([])).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(EMPTY_COEFFICIENTS_DIGEST).toBe(coefficientsDigest([]));
  });

  it.each([
    ['an upper-case sha256', [{ path: 'a', sha256: SHA.toUpperCase() }]],
    ['a short sha256', [{ path: 'a', sha256: 'abc' }]],
    ['a path with a newline', [{ path: 'a\nb', sha256: SHA }]],
    ['an absolute path', [{ path: '/a', sha256: SHA }]],
    ['a path with a backslash', [{ path: 'a\\b', sha256: SHA }]],
    [
      'a path listed twice',
      [
        { path: 'a', sha256: SHA },
        { path: 'a', sha256: SHA },
      ],
    ],
  ])('refuses %s', (_name, files) => {
    expect(() => coefficientsDigest(files)).toThrow(
      expect.objectContaining({ code: ContractErrorCode.CoefficientsInvalid }),
    );
  });
});

describe(modelVersion.name, () => {
  it.each(versionVectors().map((v) => [v.name, v] as const))('matches the vector: %s', (_n, v) => {
    expect(modelVersion(v.codeVersion, v.digest)).toBe(v.version);
  });

  it.each([
    ['1.2', SHA],
    ['1.2.0+build', SHA],
    ['1.2.0', 'xyz'],
  ])('refuses code version %j with digest %j', (code, digest) => {
    expect(() => modelVersion(code, digest)).toThrow(
      expect.objectContaining({ code: ContractErrorCode.ModelVersionInvalid }),
    );
  });
});

describe(parseModelVersion.name, () => {
  it('splits a version into code version and coefficients prefix', () => {
    expect(parseModelVersion('2.0.0-rc.1+3f9a1b2c4d5e')).toEqual({
      codeVersion: '2.0.0-rc.1',
      coefficientsShort: '3f9a1b2c4d5e',
    });
  });

  it('round-trips modelVersion', () => {
    const sut = parseModelVersion(modelVersion('1.0.0', SHA));
    expect(sut).toEqual({ codeVersion: '1.0.0', coefficientsShort: SHA.slice(0, 12) });
  });

  it.each([
    '1.2.0',
    '1.2.0+3f9a1b2c4d5',
    '1.2+3f9a1b2c4d5e',
    '1.2.0+3F9A1B2C4D5E',
    '+3f9a1b2c4d5e',
  ])('refuses %j', (version) => {
    expect(() => parseModelVersion(version)).toThrow(
      expect.objectContaining({ code: ContractErrorCode.ModelVersionInvalid }),
    );
  });
});
