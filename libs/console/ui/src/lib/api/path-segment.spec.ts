import { pathSegment } from './path-segment';

describe(pathSegment.name, () => {
  it('keeps a version as written and escapes what would change the path', () => {
    expect(pathSegment('1.0.0+6526c66fa490')).toBe('1.0.0+6526c66fa490');
    expect(pathSegment('a/b?c#d e')).toBe('a%2Fb%3Fc%23d%20e');
  });
});
