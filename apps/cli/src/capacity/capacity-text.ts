import {
  formatMs,
  formatPercent,
  formatProbability,
  formatRate,
  plusMinus,
  type MlrunParameters,
  type StationSolution,
} from '@ml-run/qnet';

import { formatTable } from '../output/format-table';
import type { CapacityReport } from './capacity-report';

/** The report as the lines `ml-run capacity` prints. */
export function capacityText(report: CapacityReport): string[] {
  return [
    ...parameterLines(report),
    '',
    ...overloadLines(report),
    ...stationTable(report),
    '',
    ...summaryLines(report),
    '',
    ...recommendationLines(report),
    ...simulationLines(report),
  ];
}

function parameterLines({ parameters: p, analysis, derived }: CapacityReport): string[] {
  const rows: [string, string][] = [
    ['rate λ', `${formatRate(p.rate)} req/s`],
    ['clients', String(p.clients)],
    ['token lifetime', `${p.tokenLifetimeSeconds} s`],
    ['L1 cache TTL', `${p.l1TtlSeconds} s`],
    ['servers', serversText(p.servers)],
    ['service rate / server', serviceRatesText(p)],
    ['after a 401', staleText(p)],
    ['p_stale', probabilityText(analysis.pStale, derived.pStale, staleFormula(p))],
    ['p_miss', probabilityText(analysis.pMiss, derived.pMiss, 'λ, clients, K, L1 TTL and T')],
    ...disciplineRows(p),
  ];
  return [
    'parameters',
    ...formatTable(['', ''], rows)
      .slice(1)
      .map((line) => `  ${line}`),
  ];
}

function serversText(s: MlrunParameters['servers']): string {
  return `routers N=${s.routers}, wrappers K=${s.wrappers}, validators M=${s.validators}, issuers ${s.issuers}`;
}

function serviceRatesText({ serviceRates: mu }: MlrunParameters): string {
  return (
    `router ${mu.router}/s, token check ${mu.tokenCheck}/s, validator ${mu.validator}/s, ` +
    `issuer ${mu.issuer}/s, predict ${mu.predict}/s`
  );
}

function staleText({ staleRequests }: MlrunParameters): string {
  return staleRequests === 'retry'
    ? 'retry: login, then the request is sent again (predict sees all of λ)'
    : "leave: login, and the request is done (the paper's model)";
}

const staleFormula = ({ staleRequests }: MlrunParameters) =>
  staleRequests === 'retry' ? 'clients / (2·clients + λ·T)' : 'clients / (clients + λ·T)';

// Shown only when set: the defaults are the M/M/c stations of the table.
function disciplineRows(p: MlrunParameters): [string, string][] {
  const rows: [string, string][] = [];
  if (p.predictServiceScv !== undefined && p.predictServiceScv !== 1) {
    rows.push([
      'predict service',
      `c_s² = ${p.predictServiceScv} (M/G/c, Allen–Cunneen; exact for one server)`,
    ]);
  }
  if (p.validatorQueues === 'split') {
    rows.push(['validator queues', 'split: one M/M/1 queue per validator, λ/M each']);
  }
  return rows;
}

function probabilityText(value: number, derived: boolean, from: string): string {
  return `${formatProbability(value)} (${derived ? `derived from ${from}` : 'given'})`;
}

// The flag that adds servers to each station (the wrappers run both token check and predict).
const SERVER_FLAG: Record<string, string> = {
  router: '--routers',
  'token-check': '--wrappers',
  validator: '--validators',
  issuer: '--issuers',
  predict: '--wrappers',
};

function overloadLines({ overloaded, analysis }: CapacityReport): string[] {
  if (overloaded.length === 0) return [];
  const stations = overloaded.map(({ station, utilization }) => {
    const s = analysis.stations.find((candidate) => candidate.name === station);
    const load = s
      ? ` (${formatRate(s.arrivalRate)} req/s for ${s.servers} × ${s.serviceRate}/s)`
      : '';
    return `${station} at ρ = ${utilization.toFixed(2)}${load}`;
  });
  const flags = [...new Set(overloaded.map((o) => SERVER_FLAG[o.station] ?? '--routers'))];
  return [
    `OVERLOADED: ${stations.join(', ')}; at ρ ≥ 1 a queue grows without bound. This configuration ` +
      `sustains at most ${formatRate(analysis.maxExternalRate)} req/s; raise ${flags.join(', ')} ` +
      `(see the recommendation) or lower --rate.`,
    '',
  ];
}

function stationTable({ analysis, simulation }: CapacityReport): string[] {
  const simulated = simulation?.ran ? simulation.result.stations : undefined;
  const headers = ['STATION', 'ARRIVALS /s', 'SERVERS', 'UTIL %', 'WAIT ms', 'SOJOURN ms'];
  if (simulated) headers.push('SIM UTIL %', 'SIM SOJOURN ms');
  const rows = analysis.stations.map((s, i) => {
    const row = stationRow(s);
    const sim = simulated?.[i];
    if (sim)
      row.push(plusMinus(sim.utilization, formatPercent), plusMinus(sim.meanSojourn, formatMs));
    return row;
  });
  return formatTable(headers, rows);
}

function stationRow(s: StationSolution): string[] {
  return [
    s.name,
    formatRate(s.arrivalRate),
    String(s.servers),
    `${formatPercent(s.utilization)}${s.utilization >= 1 ? ' !' : ''}`,
    formatMs(s.meanWait),
    formatMs(s.meanSojourn),
  ];
}

function summaryLines({ analysis }: CapacityReport): string[] {
  const bottleneck = analysis.stations.find((s) => s.name === analysis.bottleneck);
  const response = Number.isFinite(analysis.meanResponseTime)
    ? `${formatMs(analysis.meanResponseTime)} ms`
    : '∞ (overloaded)';
  const rows = [
    ['mean response time', response],
    [
      'bottleneck',
      `${analysis.bottleneck} (ρ = ${formatPercent(bottleneck?.utilization ?? NaN)} %)`,
    ],
    [
      'max sustainable λ',
      `${formatRate(analysis.maxExternalRate)} req/s (${analysis.bottleneck} reaches ρ = 100 %)`,
    ],
    [
      'wrapper replica',
      `${formatPercent(analysis.wrapperUtilization)} % busy (token check + predict, one process)`,
    ],
  ];
  return formatTable(['', ''], rows).slice(1);
}

function recommendationLines({ recommendation: r, target }: CapacityReport): string[] {
  const bound =
    target.maxLatencySeconds === undefined
      ? ''
      : `, mean ≤ ${formatMs(target.maxLatencySeconds)} ms`;
  const head = `recommendation for λ = ${formatRate(target.rate)} req/s, ρ ≤ ${formatRate(target.maxUtilization * 100)} %${bound}:`;
  const busiest = r.solution.bottleneck;
  const result =
    `  max utilization ${formatPercent(r.maxUtilization)} % (${busiest}), ` +
    `mean response time ${formatMs(r.solution.meanResponseTime)} ms`;
  if (r.met) return [head, `  ${serversText(r.servers)}`, result];
  return [
    head,
    `  cannot be met: ${r.reason ?? 'no server count tried meets it'}`,
    `  closest: ${serversText(r.servers)}`,
    result,
  ];
}

function simulationLines({ simulation }: CapacityReport): string[] {
  if (simulation === undefined) return [];
  if (!simulation.ran) return ['', `simulation skipped: ${simulation.reason}`];
  const { result, durationSeconds, seed } = simulation;
  const confidence = `${Math.round(result.confidence * 100)} % CI`;
  const runs = `${result.runs} runs of ${formatRate(durationSeconds)} s, seed ${seed}`;
  const converged = result.converged
    ? 'converged'
    : `not converged: the rule asks for ${result.requiredRuns} runs (longer runs need fewer: --sim-seconds)`;
  return [
    '',
    `simulated mean response time ${plusMinus(result.meanResponseTime, formatMs)} ms (${confidence}; ${runs}; ${converged})`,
  ];
}
