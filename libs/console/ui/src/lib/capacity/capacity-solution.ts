import {
  analyzeMlrun,
  fig5Series,
  fig6Series,
  formatMs,
  formatPercent,
  formatRate,
  recommend,
  type MlrunParameters,
  type MlrunServers,
  type MlrunSolution,
  type Recommendation,
  type RecommendTarget,
  type Series,
} from '@ml-run/qnet';

export type CapacitySolution = {
  analysis: MlrunSolution;
  recommendation: Recommendation;
  /** The rate and utilization cap the recommendation was made for. */
  target: { rate: number; maxUtilization: number; maxLatencySeconds?: number };
  fig5: Series;
  fig6: Series[];
};

/** What the capacity page shows for these parameters: the CLI's analysis and figures. */
export function solveCapacity(p: MlrunParameters, target: RecommendTarget): CapacitySolution {
  const resolved = {
    rate: target.rate ?? p.rate,
    maxUtilization: target.maxUtilization ?? 0.7,
    ...(target.maxLatencySeconds === undefined
      ? {}
      : { maxLatencySeconds: target.maxLatencySeconds }),
  };
  return {
    analysis: analyzeMlrun(p),
    recommendation: recommend(p, resolved),
    target: resolved,
    fig5: fig5Series(p),
    fig6: fig6Series(p),
  };
}

/** One line of the "Stations" table, as text. */
export type StationRow = {
  name: string;
  arrivalRate: string;
  servers: string;
  utilization: string;
  overloaded: boolean;
  meanWaitMs: string;
  meanSojournMs: string;
};

export function stationRows(analysis: MlrunSolution): StationRow[] {
  return analysis.stations.map((s) => ({
    name: s.name,
    arrivalRate: formatRate(s.arrivalRate),
    servers: String(s.servers),
    utilization: `${formatPercent(s.utilization)} %`,
    overloaded: s.utilization >= 1,
    meanWaitMs: formatMs(s.meanWait),
    meanSojournMs: formatMs(s.meanSojourn),
  }));
}

/** The analysis in two sentences: response time, bottleneck, the highest sustainable rate. */
export function analysisText(analysis: MlrunSolution): string {
  const overloaded = analysis.stations.filter((s) => s.utilization >= 1).map((s) => s.name);
  const sustains = `This deployment sustains at most ${formatRate(analysis.maxExternalRate)} req/s (${analysis.bottleneck} reaches 100 %).`;
  if (overloaded.length > 0) {
    return `Overloaded: ${overloaded.join(', ')} at ρ ≥ 100 %, so queues grow without bound. ${sustains}`;
  }
  return `Mean response time ${formatMs(analysis.meanResponseTime)} ms; bottleneck ${analysis.bottleneck}. ${sustains}`;
}

const serversText = (s: MlrunServers) =>
  `K = ${s.wrappers} wrappers, M = ${s.validators} validators, N = ${s.routers} routers (issuers: ${s.issuers})`;

/** The recommendation as one sentence, or why the target cannot be met and what came closest. */
export function recommendationText({ recommendation: r, target }: CapacitySolution): string {
  const bound =
    target.maxLatencySeconds === undefined
      ? ''
      : `, mean response ≤ ${formatMs(target.maxLatencySeconds)} ms`;
  const goal = `λ = ${formatRate(target.rate)} req/s, ρ ≤ ${formatPercent(target.maxUtilization)} %${bound}`;
  const busiest = Math.max(...r.solution.stations.map((s) => s.utilization));
  const outcome = `max utilization ${formatPercent(busiest)} % (${r.solution.bottleneck}), mean response ${formatMs(r.solution.meanResponseTime)} ms`;
  if (r.met) return `Recommended for ${goal}: ${serversText(r.servers)}; ${outcome}.`;
  return `The target (${goal}) cannot be met: ${r.reason ?? 'no server count tried meets it.'} Closest: ${serversText(r.servers)}; ${outcome}.`;
}

/** Fig. 5's points as chart rows: x = p_stale, y = requests/s reaching predict. */
export function fig5Rows(solution: CapacitySolution): { pStale: number; rate: number }[] {
  return solution.fig5.points.map((p) => ({ pStale: p.x, rate: p.y }));
}

/** Fig. 6's lines as chart rows, one per L1 lifetime, a column per line (by its name). */
export function fig6Rows(solution: CapacitySolution): Record<string, number>[] {
  const lifetimes = solution.fig6[0]?.points.map((p) => p.x) ?? [];
  return lifetimes.map((lifetime, i) => {
    const row: Record<string, number> = { lifetime };
    for (const line of solution.fig6) row[line.name] = line.points[i].y;
    return row;
  });
}
