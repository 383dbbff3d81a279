import { checkPlan, experimentsPlan } from './plan';

describe('experimentsPlan', () => {
  it('runs every Fig. 5 point with a token TTL the issuer accepts, in both modes', () => {
    expect(() => checkPlan(experimentsPlan('full'))).not.toThrow();
    expect(() => checkPlan(experimentsPlan('quick'))).not.toThrow();
  });

  it('refuses a plan whose real-expiry point needs a TTL under 100 ms', () => {
    const plan = experimentsPlan('full');
    expect(() => checkPlan({ ...plan, fig5: { ...plan.fig5, rate: 1000 } })).toThrow(
      /under the issuer's 100 ms minimum/,
    );
  });

  it('measures Fig. 6 from 0.1 s to 60 s for K = 1, 2 and 4 in the full run', () => {
    const { fig6 } = experimentsPlan('full');
    expect(Math.min(...fig6.l1Ttls)).toBe(0.1);
    expect(Math.max(...fig6.l1Ttls)).toBe(60);
    expect(fig6.wrappers).toEqual([1, 2, 4]);
  });
});
