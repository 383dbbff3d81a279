// What `npm run experiments` runs, in full and in --quick (CI) mode. The full plan is the
// report's; quick keeps every step but with short windows and few points, so the pipeline
// is checked in CI in well under 3 minutes, never the accuracy.
import type { Fig5Options } from './fig5';
import { runnableTokenTtl } from './fig5-points';
import type { Fig6Options } from './fig6';

type Common = 'model' | 'workers' | 'body' | 'seed' | 'log';

export type ExperimentsPlan = {
  fig5: Omit<Fig5Options, Common>;
  fig6: Omit<Fig6Options, Common>;
  /** The rate the "what 10,000 req/s means" section scales to, and its utilization. */
  scaling: { rate: number; utilization: number };
};

const FULL: ExperimentsPlan = {
  fig5: {
    rate: 100,
    clients: 20,
    wrappers: 1,
    pStale: [0, 0.1, 0.2, 0.3, 0.4, 0.5],
    warmupSeconds: 5,
    seconds: 30,
    batches: 10,
    longTokenTtl: '1h',
    l1Ttl: '60s',
  },
  fig6: {
    rate: 100,
    clients: 10,
    wrappers: [1, 2, 4],
    l1Ttls: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    tokenTtl: '1h',
    rule: { minCycles: 2, minWindow: 20, minWarmup: 3 },
    batches: 10,
  },
  scaling: { rate: 10_000, utilization: 0.7 },
};

const QUICK: ExperimentsPlan = {
  fig5: {
    rate: 50,
    clients: 10,
    wrappers: 1,
    pStale: [0, 0.5],
    warmupSeconds: 2,
    seconds: 5,
    batches: 5,
    longTokenTtl: '1h',
    l1Ttl: '60s',
  },
  fig6: {
    rate: 50,
    clients: 5,
    wrappers: [1, 2],
    l1Ttls: [0.25, 1],
    tokenTtl: '1h',
    rule: { minCycles: 2, minWindow: 5, minWarmup: 1 },
    batches: 5,
  },
  scaling: { rate: 10_000, utilization: 0.7 },
};

export function experimentsPlan(mode: 'quick' | 'full'): ExperimentsPlan {
  return mode === 'quick' ? QUICK : FULL;
}

/**
 * Throws, before anything runs, what a step would only find out after the ones before it
 * (calibration and validation take many minutes): a Fig. 5 TTL the issuer refuses.
 */
export function checkPlan(plan: ExperimentsPlan): void {
  for (const p of plan.fig5.pStale.filter((x) => x > 0)) runnableTokenTtl(p, plan.fig5);
}
