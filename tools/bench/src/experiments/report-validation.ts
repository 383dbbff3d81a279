// The report's model-validation section: the runs, model against measurement per quantity
// with the acceptance verdicts, which predict model fits, and why failures fail.
import { judge } from './acceptance';
import { interval, num, pct, table } from './markdown-format';
import type { ExperimentsResults } from './results';
import type { ValidationRun } from './validation-summary';

export function verdicts(r: ExperimentsResults) {
  return r.validation.comparisons.map((c) => ({ c, v: judge(c, { cores: r.machine.cores }) }));
}

export function validationSection(r: ExperimentsResults): string {
  return [
    '## Model validation',
    '',
    `The live stack (model bundle \`${r.validation.settings['model'] ?? '?'}\`, one worker per replica, so a replica is one server) under an open-loop Poisson load, against the analytic model and the simulator at the calibrated service rates (the issuer at the test users' scrypt cost). The model's p_stale and p_miss are predicted from the workload (rate, clients, lifetimes, K), never fitted from the measurement.`,
    '',
    runsTable(r.validation.runs),
    '',
    comparisonsTable(r),
    ...failures(r),
  ].join('\n');
}

function runsTable(runs: readonly ValidationRun[]): string {
  const rule = runs[0];
  const intro = rule
    ? `Batches of ${rule.batchSeconds} s; after a pilot of ${rule.pilotBatches} batches each run goes on to n ≥ t²S²/δ² batches (Student's t, δ = ${pct(rule.relativePrecision)} of the pilot's mean latency), up to a cap ("capped" where the cap stopped it first).`
    : 'No validation run.';
  return [
    intro,
    '',
    table(
      [
        'K',
        'ρ set',
        'ρ measured',
        'λ (req/s)',
        'C',
        'L1 TTL (s)',
        'token TTL (s)',
        'p_stale (model)',
        'p_miss (model)',
        'batches: pilot → n → used',
        'predict model that fits best',
      ],
      runs.map((x) => [
        String(x.wrappers),
        num(x.targetUtilization, 2),
        num(x.measuredUtilization, 2),
        num(x.rate),
        String(x.clients),
        num(x.l1TtlSeconds),
        num(x.tokenLifetimeSeconds),
        num(x.pStale),
        num(x.pMiss),
        `${x.pilotBatches} → ${x.requiredBatches} → ${x.usedBatches}${x.capped ? ' (capped)' : ''}`,
        `${x.bestVariant} (${x.variants.map((v) => `${v.name.split(' ')[0]} ${v.error === null ? '–' : pct(v.error)}`).join(', ')})`,
      ]),
    ),
  ].join('\n');
}

function comparisonsTable(r: ExperimentsResults): string {
  const rows = verdicts(r).map(({ c, v }) => [
    num(c.utilization, 2),
    String(c.wrappers),
    c.kind,
    c.station,
    `${num(c.model)} ${c.unit}`,
    c.simulated === undefined ? '–' : num(c.simulated),
    interval(c.measured),
    pct(v.relativeError),
    !v.applies ? 'n/a' : v.pass ? 'pass' : 'FAIL',
  ]);
  return [
    'Model against measurement (error = (measured − model)/model; p99 against the simulator, which is the only model with end-to-end percentiles; rates the model puts under 1/s are shown, not judged):',
    '',
    table(
      ['ρ', 'K', 'quantity', 'station', 'model', 'simulated', 'measured', 'error', 'verdict'],
      rows,
    ),
  ].join('\n');
}

function failures(r: ExperimentsResults): string[] {
  const failed = verdicts(r).filter(({ v }) => v.applies && !v.pass);
  if (failed.length === 0) return [];
  return [
    '',
    '### Where the acceptance fails, and why',
    '',
    ...failed.map(
      ({ c, v }) =>
        `- ρ ${num(c.utilization, 2)}, K = ${c.wrappers}, ${c.kind} at ${c.station}: ${v.reason}`,
    ),
  ];
}
