import type { CaseSpec } from './cases';
import type { WindowResult } from './measure';
import { summarizeCases, windowProblem, type CaseOutcome } from './summary';

function window(
  rps: number,
  p99Ms: number,
  extra: Partial<WindowResult['load']> = {},
): WindowResult {
  return {
    load: {
      responses: rps * 10,
      rps,
      p50Ms: p99Ms / 4,
      p99Ms,
      byStatus: { '200': rps * 10 },
      non2xx: 0,
      errors: 0,
      seconds: 10,
      ...extra,
    },
    cpu: [
      { role: 'generator', cpuSeconds: 5, usPerRequest: 500_000 / rps, coresBusy: 0.5 },
      { role: 'echo', cpuSeconds: 8, usPerRequest: 800_000 / rps, coresBusy: 0.8 },
    ],
    wallSeconds: 10,
  };
}

const specs: CaseSpec[] = [
  { name: 'echo', path: 'bare echo' },
  { name: 'undici-proxy', path: 'proxy', baseline: 'echo' },
  { name: 'node-proxy', path: 'node proxy', baseline: 'echo' },
];

describe('summarizeCases', () => {
  const outcomes: CaseOutcome[] = [
    { name: 'echo', status: 'ok', windows: [window(100, 3), window(300, 1), window(200, 2)] },
    { name: 'undici-proxy', status: 'ok', windows: [window(50, 9), window(150, 5)] },
    {
      name: 'node-proxy',
      status: 'failed',
      reason: '4 answers not 2xx',
      windows: [window(400, 1)],
    },
  ];
  const [echo, proxy, nodeProxy] = summarizeCases(specs, outcomes);

  it('takes the median of each figure over the rounds', () => {
    expect(echo).toMatchObject({ rps: 200, p99Ms: 2, rounds: 3, responses: 6000 });
    expect(proxy).toMatchObject({ rps: 100, p99Ms: 7 });
    expect(echo?.cpu.find((c) => c.role === 'echo')?.usPerRequest).toBe(4000);
  });

  it('lists roles in the report order: services first, the generator last', () => {
    expect(echo?.cpu.map((c) => c.role)).toEqual(['echo', 'generator']);
  });

  it('divides by the baseline case for the ratio', () => {
    expect(proxy?.ratio).toEqual({ baseline: 'echo', value: 0.5 });
    expect(echo?.ratio).toBeUndefined();
  });

  it('gives a failed case no ratio however fast it was', () => {
    expect(nodeProxy).toMatchObject({ status: 'failed', reason: '4 answers not 2xx' });
    expect(nodeProxy?.ratio).toBeUndefined();
  });

  it('reports a case with no outcome as skipped', () => {
    const [only] = summarizeCases([{ name: 'mlflow', path: 'MLflow' }], []);
    expect(only).toMatchObject({ status: 'skipped', rounds: 0 });
  });
});

describe('windowProblem', () => {
  it('accepts a window where every answer was 2xx', () => {
    expect(windowProblem(window(100, 1))).toBeUndefined();
  });

  it('names the statuses that were not 2xx and the errors', () => {
    const bad = window(100, 1, { non2xx: 7, errors: 2, byStatus: { '200': 993, '429': 7 } });
    expect(windowProblem(bad)).toBe('7 answers not 2xx (7× 429), 2 connection errors or timeouts');
  });

  it('fails a window with no answers at all', () => {
    const none = window(0, 0, { responses: 0, byStatus: {} });
    expect(windowProblem(none)).toBe('no answers at all');
  });
});
