import type autocannon from 'autocannon';

import { combined } from './closed-load';

const load = (ok: number, other: number, seconds: number, latencies: number[]) => ({
  result: {
    '2xx': ok,
    non2xx: other,
    errors: 1,
    duration: seconds,
    statusCodeStats: { '200': { count: ok }, ...(other ? { '503': { count: other } } : {}) },
  } as unknown as autocannon.Result,
  latencies,
});

describe('combined (the ramp groups of one closed loop as one load)', () => {
  it('adds the counts and rates, pools the latencies', () => {
    const result = combined([load(1_000, 0, 10, [1, 2, 3]), load(500, 10, 10, [4, 5])]);
    expect(result).toMatchObject({
      responses: 1_510,
      rps: 150,
      byStatus: { '200': 1_500, '503': 10 },
      non2xx: 10,
      errors: 2,
      seconds: 10,
      p50Ms: 3,
    });
    expect(result.p99Ms).toBe(5);
  });
});
