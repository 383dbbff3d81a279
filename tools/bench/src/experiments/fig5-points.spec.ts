import { staleProbability } from '@ml-run/qnet';

import {
  measuredStale,
  modelPredictRate,
  runnableTokenTtl,
  tokenTtlForStale,
  ttlSetting,
} from './fig5-points';

describe('tokenTtlForStale', () => {
  it("inverts the model's p_stale = C/(C + λT)", () => {
    const workload = { rate: 100, clients: 20 };
    for (const p of [0.05, 0.1, 0.25, 0.5, 0.9]) {
      const ttl = tokenTtlForStale(p, workload);
      expect(staleProbability({ ...workload, tokenLifetimeSeconds: ttl })).toBeCloseTo(p, 12);
    }
    expect(tokenTtlForStale(0.5, { rate: 200, clients: 20 })).toBeCloseTo(0.1, 12);
  });

  it('needs an endless token for p_stale 0, and refuses p outside [0, 1)', () => {
    expect(tokenTtlForStale(0, { rate: 1, clients: 1 })).toBe(Infinity);
    expect(() => tokenTtlForStale(1, { rate: 1, clients: 1 })).toThrow(/\[0, 1\)/);
    expect(() => tokenTtlForStale(-0.1, { rate: 1, clients: 1 })).toThrow(RangeError);
    expect(() => tokenTtlForStale(0.5, { rate: 0, clients: 1 })).toThrow(/above 0/);
  });
});

describe('runnableTokenTtl', () => {
  it("refuses a TTL under the issuer's 100 ms minimum, saying what to change", () => {
    expect(runnableTokenTtl(0.5, { rate: 100, clients: 20 })).toBeCloseTo(0.2, 12);
    expect(() => runnableTokenTtl(0.5, { rate: 1000, clients: 20 })).toThrow(
      /needs a token TTL of 0\.020 s, under the issuer's 100 ms minimum: lower the rate or raise the clients/,
    );
  });
});

describe('ttlSetting', () => {
  it('writes milliseconds below 10 s and seconds from there', () => {
    expect(ttlSetting(0.25)).toBe('250ms');
    expect(ttlSetting(1.8)).toBe('1800ms');
    expect(ttlSetting(0.0001)).toBe('1ms');
    expect(ttlSetting(60)).toBe('60s');
  });

  it('refuses a TTL of 0 or an endless one', () => {
    expect(() => ttlSetting(0)).toThrow(RangeError);
    expect(() => ttlSetting(Infinity)).toThrow(RangeError);
  });
});

describe('measuredStale', () => {
  it('is the fraction of answered requests that came back 401, errors left out', () => {
    expect(measuredStale({ ok: 750, unauthorized: 250, errors: 3 })).toBe(0.25);
    expect(measuredStale({ ok: 750, unauthorized: 250, errors: 500 })).toBe(0.25);
    expect(measuredStale({ ok: 0, unauthorized: 0, errors: 2 })).toBeNaN();
  });
});

describe('modelPredictRate', () => {
  it('is λ(1 − p)', () => {
    expect(modelPredictRate(100, 0.3)).toBeCloseTo(70, 12);
  });
});
