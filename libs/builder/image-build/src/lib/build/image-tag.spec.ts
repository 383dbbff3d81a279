import { imageTag } from './image-tag';

describe(imageTag.name, () => {
  it('tags <registry>/ml-run/<name>:<version> with "+" written as "_"', () => {
    expect(imageTag('127.0.0.1:5000', 'iris', '1.0.0+6526c66fa490')).toBe(
      '127.0.0.1:5000/ml-run/iris:1.0.0_6526c66fa490',
    );
  });

  it('keeps pre-release versions readable', () => {
    expect(imageTag('registry.local', 'echo', '2.0.0-rc.1+aaaaaaaaaaaa')).toBe(
      'registry.local/ml-run/echo:2.0.0-rc.1_aaaaaaaaaaaa',
    );
  });

  it('refuses a version too long for a Docker tag, saying what to shorten', () => {
    const version = `1.0.0-${'a'.repeat(120)}+aaaaaaaaaaaa`;
    expect(() => imageTag('127.0.0.1:5000', 'iris', version)).toThrow(/shorten codeVersion/);
  });
});
