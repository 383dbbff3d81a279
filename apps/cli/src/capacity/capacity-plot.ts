import {
  fig5Series,
  fig6Series,
  LOGIN_LIFETIMES_SECONDS,
  loginRateVsTokenLifetime,
  utilizationSeries,
  type MlrunParameters,
  type NetworkSolution,
} from '@ml-run/qnet';

import { fig5Spec, fig6Spec, loginsSpec, utilizationSpec, type ChartKind } from './capacity-charts';

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
      return fig5Spec(fig5Series(p).points, p.rate);
    case 'fig6': {
      const lines = fig6Series(p).map(({ name, points }) => ({ label: name, points }));
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
