import { LineChart } from '@mantine/charts';
import { SimpleGrid } from '@mantine/core';

import { FigurePanel } from '../shell';
import { formatClock, formatLatency, formatPerSecond, formatShare } from './traffic-format';
import type { TrafficPoint } from './traffic-watch';

const VERSION_COLORS = ['violet.6', 'teal.6', 'orange.6', 'grape.6', 'cyan.6', 'lime.7'];

type Row = Record<string, string | number | null>;

// Chart values in the units the axes show: ms, %, per second; null leaves a gap.
const percent = (ratio: number | null) => (ratio === null ? null : ratio * 100);
const ms = (seconds: number | null) => (seconds === null ? null : seconds * 1000);
// Recharts reads a dotted data key as a path ("1.0.0" → row["1"]["0"]…): versions get an index.
const versionKey = (index: number) => `version${index}`;

function rowsOf(history: TrafficPoint[], versions: string[]): Row[] {
  return history.map((point) => {
    const row: Row = {
      time: formatClock(point.at),
      total: point.total.rate,
      p50: ms(point.total.p50),
      p99: ms(point.total.p99),
      errors: percent(point.total.errorRatio),
      refused: percent(point.total.clientErrorRatio),
      l1: percent(point.total.l1HitRatio),
      validator: point.total.validatorRate,
    };
    versions.forEach((version, i) => (row[versionKey(i)] = point.rateByVersion[version] ?? null));
    return row;
  });
}

type ChartProps = {
  title: string;
  /** The latest values in words: the chart's text alternative. */
  summary: string;
  data: Row[];
  unit: string;
  series: { name: string; label: string; color: string; strokeDasharray?: string }[];
  /** Fixed y range (ratios: 0–100 %); default: fitted to the data. */
  domain?: [number, number];
};

function TrafficChart({ title, summary, data, unit, series, domain }: ChartProps) {
  return (
    <FigurePanel title={title} caption={summary} order={3}>
      <LineChart
        h={180}
        mt="sm"
        data={data}
        dataKey="time"
        series={series}
        unit={unit}
        withDots={false}
        curveType="linear"
        connectNulls={false}
        withLegend={series.length > 1}
        tickLine="none"
        yAxisProps={domain ? { domain } : undefined}
        // The figcaption carries the numbers; the drawing stays out of the tab order.
        aria-hidden
        lineChartProps={{ accessibilityLayer: false }}
      />
    </FigurePanel>
  );
}

type Props = { history: TrafficPoint[]; versions: string[]; historyMinutes: number };

/** The model's live charts over the bounded history, each with its latest values in text. */
export function TrafficCharts({ history, versions, historyMinutes }: Props) {
  const data = rowsOf(history, versions);
  const last = history.at(-1)?.total;
  const byVersion = versions
    .map((v) => `${v}: ${formatPerSecond(history.at(-1)?.rateByVersion[v] ?? null)}/s`)
    .join(', ');
  return (
    <section aria-label={`Live charts, last ${historyMinutes} minutes`}>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TrafficChart
          title="Request rate"
          unit="/s"
          summary={`Latest: ${formatPerSecond(last?.rate ?? null)} predictions/s in total${byVersion ? ` (${byVersion})` : ''}.`}
          data={data}
          series={[
            { name: 'total', label: 'total', color: 'blue.7', strokeDasharray: '6 4' },
            ...versions.map((v, i) => ({
              name: versionKey(i),
              label: `version ${v}`,
              color: VERSION_COLORS[i % VERSION_COLORS.length],
            })),
          ]}
        />
        <TrafficChart
          title="Latency p50 / p99"
          unit=" ms"
          summary={`Latest: p50 ${formatLatency(last?.p50 ?? null)}, p99 ${formatLatency(last?.p99 ?? null)}.`}
          data={data}
          series={[
            { name: 'p50', label: 'p50', color: 'blue.7' },
            { name: 'p99', label: 'p99', color: 'orange.7' },
          ]}
        />
        <TrafficChart
          title="Error rate"
          unit="%"
          summary={`Latest: ${formatShare(last?.errorRatio ?? null)} answered 5xx, ${formatShare(last?.clientErrorRatio ?? null)} refused (4xx).`}
          data={data}
          series={[
            { name: 'errors', label: '5xx', color: 'red.7' },
            { name: 'refused', label: '4xx', color: 'yellow.7' },
          ]}
        />
        <TrafficChart
          title="L1 hit ratio"
          unit="%"
          summary={`Latest: ${formatShare(last?.l1HitRatio ?? null)} of token checks answered from the wrappers' L1 cache.`}
          data={data}
          series={[{ name: 'l1', label: 'L1 hits', color: 'teal.7' }]}
          domain={[0, 100]}
        />
        <TrafficChart
          title="Validator calls"
          unit="/s"
          summary={`Latest: ${formatPerSecond(last?.validatorRate ?? null)} calls/s to the token-validator.`}
          data={data}
          series={[{ name: 'validator', label: 'calls', color: 'grape.7' }]}
        />
      </SimpleGrid>
    </section>
  );
}
