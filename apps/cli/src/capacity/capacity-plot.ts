import {
  loginRateVsTokenLifetime,
  predictRateVsStale,
  utilizationSeries,
  validatorRateVsLifetime,
  type MlrunParameters,
  type NetworkSolution,
} from '@ml-run/qnet';

import {
  fig5Spec,
  FIG6_L1_LIFETIMES_SECONDS,
  FIG6_WRAPPERS,
  fig6Spec,
  LOGIN_LIFETIMES_SECONDS,
  loginsSpec,
  pStaleRange,
  utilizationSpec,
  type ChartKind,
} from './capacity-charts';

export type ChartInputs = {
  parameters: MlrunParameters;
  analysis: NetworkSolution;
  targetUtilization: number;
};

/** The vega-lite spec of one chart, from the model's series for these parameters. */
export function chartSpec(kind: ChartKind, inputs: ChartInputs) {
  const { parameters: p } = inputs;
  switch (kind) {
    case 'fig5':
      return fig5Spec(predictRateVsStale(p, pStaleRange()).points, p.rate);
    case 'fig6': {
      const series = validatorRateVsLifetime(p, FIG6_L1_LIFETIMES_SECONDS, FIG6_WRAPPERS);
      const lines = series.map(({ name, points }) => ({ label: name, points }));
      return fig6Spec(lines, p.rate, p.clients);
    }
    case 'logins':
      return loginsSpec(loginRateVsTokenLifetime(p, LOGIN_LIFETIMES_SECONDS).points, p.clients);
    case 'utilization': {
      const series = utilizationSeries(inputs.analysis);
      const stations = series.points.map((point, i) => ({
        station: series.labels?.[i] ?? String(point.x),
        utilization: point.y,
      }));
      return utilizationSpec(stations, inputs.targetUtilization);
    }
  }
}
