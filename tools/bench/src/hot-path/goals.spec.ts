import type { CaseName } from './cases';
import { evaluateGoals } from './goals';
import type { CaseSummary } from './summary';

function row(name: CaseName, rps: number, cpu: Record<string, number> = {}): CaseSummary {
  return {
    name,
    path: name,
    status: 'ok',
    rounds: 3,
    rps,
    p50Ms: 1,
    p99Ms: 2,
    responses: rps * 30,
    non2xx: 0,
    errors: 0,
    byStatus: { '200': rps * 30 },
    cpu: Object.entries(cpu).map(([role, usPerRequest]) => ({
      role: role as CaseSummary['cpu'][number]['role'],
      usPerRequest,
      coresBusy: 1,
    })),
  };
}

const byGoal = (goals: ReturnType<typeof evaluateGoals>, start: string) => {
  const goal = goals.find((g) => g.goal.startsWith(start));
  if (!goal) throw new Error(`no goal starting "${start}"`);
  return goal;
};

describe('evaluateGoals', () => {
  const rows = [
    row('echo', 20_000),
    row('undici-proxy', 10_000),
    row('node-proxy', 8_000),
    row('wrapper-off', 12_000),
    row('wrapper-warm', 11_700, { wrapper: 55 }),
    row('router', 6_000, { router: 130, wrapper: 70 }),
    row('python-router', 3_000),
    row('mlflow', 900),
    row('bentoml', 1_200),
  ];
  const goals = evaluateGoals(rows, { rate: 3_000, p99Ms: 4.2, ok: true });

  it('divides each case by its reference and compares with the target', () => {
    expect(byGoal(goals, 'wrapper auth off')).toMatchObject({ measured: 0.6, met: true });
    expect(byGoal(goals, 'router → wrapper, auth on ≥ 0.7').measured).toBeCloseTo(0.6);
    expect(byGoal(goals, 'router → wrapper, auth on ≥ 0.7').met).toBe(false);
    expect(byGoal(goals, 'router → wrapper, auth on vs bare node').measured).toBeCloseTo(0.75);
    expect(byGoal(goals, 'python through router + auth ≥ 3× MLflow')).toMatchObject({
      met: true,
    });
    expect(byGoal(goals, 'python through router + auth ≥ 3× BentoML')).toMatchObject({
      measured: 2.5,
      met: false,
    });
  });

  it('reads the warm-cache overhead as 1 − warm/off', () => {
    const goal = byGoal(goals, 'warm-cache auth overhead');
    expect(goal.measured).toBeCloseTo(0.025);
    expect(goal.met).toBe(true);
  });

  it('judges CPU per request from the named role of the named case', () => {
    expect(byGoal(goals, 'router CPU')).toMatchObject({ measured: 130, met: false });
    expect(byGoal(goals, 'wrapper process CPU')).toMatchObject({ measured: 55, met: true });
  });

  it('takes the open loop p99 as measured', () => {
    expect(byGoal(goals, 'p99 through the router')).toMatchObject({ measured: 4.2, met: true });
  });

  it('never judges from a failed, skipped or missing case, and says why', () => {
    const failed = { ...row('mlflow', 50_000), status: 'failed' as const, reason: '12× 500' };
    const skipped = { ...row('bentoml', 0), status: 'skipped' as const, reason: 'not installed' };
    const judged = evaluateGoals([...rows.slice(0, 7), failed, skipped], undefined);
    const mlflow = byGoal(judged, 'python through router + auth ≥ 3× MLflow');
    expect(mlflow.note).toBe('mlflow failed: 12× 500');
    expect([mlflow.met, mlflow.measured]).toEqual([undefined, undefined]);
    expect(byGoal(judged, 'python through router + auth ≥ 3× BentoML').note).toBe(
      'bentoml skipped: not installed',
    );
    expect(byGoal(judged, 'p99 through the router').met).toBeUndefined();
    expect(byGoal(evaluateGoals([], undefined), 'wrapper auth off').note).toBe(
      'wrapper-off was not run',
    );
  });

  it('fails the latency goal when the open loop had to drop requests', () => {
    const judged = evaluateGoals(rows, { rate: 700, p99Ms: 3, ok: true, dropped: 12 });
    expect(byGoal(judged, 'p99 through the router')).toMatchObject({
      measured: 3,
      met: false,
      note: 'at 700 req/s, 12 requests dropped',
    });
  });

  it('reports a failed open loop as not measured', () => {
    const judged = evaluateGoals(rows, {
      rate: 100,
      p99Ms: 1,
      ok: false,
      note: '3 answers not 2xx',
    });
    const goal = byGoal(judged, 'p99 through the router');
    expect(goal.note).toBe('3 answers not 2xx');
    expect(goal.met).toBeUndefined();
  });
});

describe('evaluateGoals with the machine cores (a peer judged only at saturation)', () => {
  const withCores = (name: CaseName, rps: number, peerCores: number): CaseSummary => ({
    ...row(name, rps),
    cpu: [
      { role: 'peer', usPerRequest: 700, coresBusy: peerCores },
      { role: 'generator', usPerRequest: 50, coresBusy: 0.1 },
    ],
  });
  const judged = (mlflowCores: number) =>
    byGoal(
      evaluateGoals(
        [row('python-router', 4_000), withCores('mlflow', 1_000, mlflowCores)],
        undefined,
        2,
      ),
      'python through router + auth ≥ 3× MLflow',
    );

  it('judges the ratio when the peer and the generator kept the cores busy', () => {
    expect(judged(1.7)).toMatchObject({ measured: 4, met: true });
  });

  it('does not judge a peer that left cores idle, and says so', () => {
    const goal = judged(1.0);
    expect(goal.measured).toBe(4);
    expect(goal.met).toBeUndefined();
    expect(goal.note).toMatch(/not judged: .*1\.10 of 2 cores/);
  });
});
