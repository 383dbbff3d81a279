import { tokenLifetime } from './token-lifetime';

describe(tokenLifetime.name, () => {
  const iatMs = 1_764_327_600_123;

  it('keeps a sub-second lifetime in exp, to the millisecond', () => {
    const sut = tokenLifetime(iatMs, 300);
    expect(sut.iat).toBe(1_764_327_600);
    expect(sut.exp).toBe(1_764_327_600.423);
    expect(JSON.stringify(sut.exp)).toBe('1764327600.423');
  });

  it('gives expires_in in whole seconds, rounded up', () => {
    expect(tokenLifetime(iatMs, 250).expiresIn).toBe(1);
    expect(tokenLifetime(iatMs, 1000).expiresIn).toBe(1);
    expect(tokenLifetime(iatMs, 1001).expiresIn).toBe(2);
    expect(tokenLifetime(iatMs, 3_600_000).expiresIn).toBe(3600);
  });

  it('never makes exp later than iatMs + ttl, whatever the millisecond', () => {
    // Expiry checks compare exp * 1000 with a clock in ms: it must come back exactly, for
    // every millisecond, and be written with at most 3 decimals.
    for (let offset = 0; offset < 5000; offset += 1) {
      const start = iatMs + offset * 7919;
      const { exp } = tokenLifetime(start, 300);
      expect(exp * 1000).toBe(start + 300);
      expect(String(exp)).toMatch(/^\d+(\.\d{1,3})?$/);
    }
  });

  it.each([
    [iatMs, 0],
    [iatMs, 0.5],
    [iatMs + 0.5, 300],
  ])('refuses a lifetime that is not whole milliseconds (%d + %d)', (start, ttl) => {
    expect(() => tokenLifetime(start, ttl)).toThrow(RangeError);
  });
});
