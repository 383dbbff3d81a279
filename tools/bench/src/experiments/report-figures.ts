// The report's figure sections: Fig. 5, Fig. 6 and the login rate, each with its table.
import type { Fig5Point } from './fig5';
import { interval, num, pct, table } from './markdown-format';
import type { ExperimentsResults } from './results';

function fig5Rows(points: readonly Fig5Point[]): string[][] {
  return points.map((p) => [
    p.mode === 'expiry' ? 'real expiry' : 'injected',
    num(p.target, 2),
    p.tokenTtl,
    interval(p.staleInterval),
    num(p.offeredRate),
    interval(p.predictRate),
    num(p.modelPredictRate),
    pct((p.predictRate.mean - p.modelPredictRate) / p.modelPredictRate),
    interval(p.loginRate),
    String(p.errors + p.dropped),
  ]);
}

export function fig5Section(r: ExperimentsResults): string {
  return [
    '## Fig. 5: rate reaching predict against token aging',
    '',
    `![Fig. 5](${r.figures.fig5})`,
    '',
    `(a) p_stale set by real token expiry: per point the token TTL T = C(1 − p)/(λp), from the model's p_stale = C/(C + λT); (b) by injected stale tokens (a fraction p of requests carries a token the platform does not hold) with a long TTL. x is the measured fraction of 401s, y the predictions/s the wrappers counted (mlrun_predictions_total, status 200); the model is λ(1 − p_stale) at the offered λ and the measured p_stale.`,
    '',
    table(
      [
        'series',
        'target p_stale',
        'token TTL',
        'measured p_stale',
        'offered λ',
        'predict/s measured',
        'model',
        'error',
        'logins/s',
        'errors + dropped',
      ],
      fig5Rows(r.fig5.points),
    ),
  ].join('\n');
}

export function fig6Section(r: ExperimentsResults): string {
  const f = r.fig6;
  return [
    "## Fig. 6: the validator's load against the L1 lifetime",
    '',
    `![Fig. 6](${r.figures.fig6})`,
    '',
    `The paper's quantity: token-validation requests per second from the wrappers to ML-RUN (the wrappers' mlrun_auth_validator_calls_total, summed), against the wrappers' L1 lifetime d, for each K. The token TTL (${f.tokenTtl}) is long against every window, so p_stale is about 0 and the load is λ·p_miss.`,
    '',
    `Measurement rule: a (client, replica) pair sees r = λ/(C·K) requests/s and misses about every d + 1/r seconds (a cycle). All pairs start cold together, so for long d their misses stay bunched, a burst every cycle: a point warms up one and a half cycles (at least ${f.rule.minWarmup} s), so the window's edges fall between bursts, and measures a whole number of cycles, at least ${f.rule.minCycles} and at least ${f.rule.minWindow} s. A window that started cold would read high by up to C·K/W (each pair's first miss on top of its steady share); the "cold window" column is what the model gives for that, the steady state is what is measured and plotted. For long d the misses still come in bursts about a cycle apart, so the window's batch means (${f.batches} per point) differ much and the interval is wide: that is the process, not noise of the measurement.`,
    '',
    table(
      [
        'K',
        'd (s)',
        'warm-up (s)',
        'window (s)',
        'measured (calls/s)',
        'at the validator',
        'model, steady',
        'model, cold window',
        'error vs steady',
      ],
      f.points.map((p) => [
        String(p.wrappers),
        num(p.l1TtlSeconds),
        num(p.timing.warmupSeconds),
        num(p.timing.windowSeconds),
        interval(p.validatorRate),
        num(p.introspectionRate),
        num(p.modelSteady),
        num(p.modelColdWindow),
        pct((p.validatorRate.mean - p.modelSteady) / p.modelSteady),
      ]),
    ),
  ].join('\n');
}

export function loginRateSection(r: ExperimentsResults): string {
  return [
    '## Login rate against the token lifetime',
    '',
    `![Login rate](${r.figures.loginRate})`,
    '',
    'Logins per second at the issuer, λ·p_stale = λC/(C + λT) ≈ C/T: it does not depend on K. The measured points are the logins of Fig. 5 (a), each at its token TTL.',
  ].join('\n');
}
