import {
  loginRateVsTokenLifetime,
  predictRateVsStale,
  utilizationSeries,
  type MlrunParameters,
  type NetworkSolution,
} from '@ml-run/qnet';

import {
  fig5Spec,
  FIG6_LIFETIMES_SECONDS,
  fig6Spec,
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
    case 'fig6':
      return fig6Spec(loginRateVsTokenLifetime(p, FIG6_LIFETIMES_SECONDS).points, p.clients);
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
