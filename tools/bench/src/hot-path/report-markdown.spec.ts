import { evaluateGoals } from './goals';
import type { HotPathReport } from './report-json';
import { renderMarkdown } from './report-markdown';
import type { CaseSummary } from './summary';

const ok: CaseSummary = {
  name: 'echo',
  path: 'bare node:http echo',
  status: 'ok',
  rounds: 3,
  rps: 12_345,
  p50Ms: 1.5,
  p99Ms: 4.25,
  responses: 370_000,
  non2xx: 0,
  errors: 0,
  byStatus: { '200': 370_000 },
  cpu: [
    { role: 'echo', usPerRequest: 41.2, coresBusy: 0.98 },
    { role: 'generator', usPerRequest: 38, coresBusy: 0.9 },
  ],
};
const failed: CaseSummary = {
  ...ok,
  name: 'wrapper-off',
  path: 'wrapper, auth off',
  status: 'failed',
  reason: '12 answers not 2xx (12× 503)',
  rps: 99_999,
};
const skipped: CaseSummary = {
  ...ok,
  name: 'mlflow',
  path: 'MLflow',
  status: 'skipped',
  reason: 'no peers venv: run tools/bench/peers/install.sh',
};

function report(quick: boolean): HotPathReport {
  const cases = [ok, failed, skipped];
  return {
    run: {
      startedAt: '2026-12-05T21:00:00.000Z',
      finishedAt: '2026-12-05T21:10:00.000Z',
      commit: 'abc1234',
      command: 'npm run bench --',
      loadAverageAtEnd: 1.5,
    },
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      memoryGiB: 8,
      kernel: 'Linux 6',
      node: 'v20.0.0',
      loadAverage: 0.5,
    },
    flags: {
      quick,
      rounds: 3,
      duration: 10,
      warmup: 2,
      connections: 50,
      profile: false,
      peers: true,
      out: 'out',
      workers: 1,
    },
    result: { cases, outcomes: [], goals: evaluateGoals(cases, undefined), profiles: [] },
  };
}

describe('renderMarkdown', () => {
  const text = renderMarkdown(report(false));

  it('states when, where and how the run was made', () => {
    expect(text).toContain('2026-12-05T21:00:00.000Z');
    expect(text).toContain('abc1234');
    expect(text).toContain('Test CPU, 2 logical CPUs');
    expect(text).toContain('3 round(s) of 10 s');
  });

  it('gives each case its figures, CPU per role and cores busy', () => {
    expect(text).toContain('| bare node:http echo (`echo`) | 12345 |  | 1.50 | 4.25 | 0 / 0 |');
    expect(text).toContain('echo 41 · generator 38');
    expect(text).toContain('echo 0.98 · generator 0.90');
  });

  it('shows a failed case loudly and a skipped one with its reason', () => {
    expect(text).toContain('**1 case(s) FAILED**');
    expect(text).toContain('**FAILED**: 12 answers not 2xx (12× 503)');
    expect(text).toContain('skipped: no peers venv: run tools/bench/peers/install.sh');
  });

  it('lists every goal, unmeasured ones with why', () => {
    expect(text).toContain('| wrapper auth off ≥ 0.5× bare echo | – | ≥ 0.5 | not measured |');
    expect(text).toContain('wrapper-off failed: 12 answers not 2xx');
  });

  it('marks a --quick run as judging nothing', () => {
    expect(renderMarkdown(report(true))).toContain('--quick: a smoke run');
    expect(text).not.toContain('--quick: a smoke run');
  });
});
