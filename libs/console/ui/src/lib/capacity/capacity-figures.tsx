import { LineChart } from '@mantine/charts';
import { SimpleGrid, Table } from '@mantine/core';
import type { ReactNode } from 'react';

import { formatRate } from '@ml-run/qnet';

import { FigurePanel } from '../shell';
import { fig5Rows, fig6Rows, type CapacitySolution } from './capacity-solution';

const LINE_COLORS = ['blue.7', 'teal.7', 'orange.7', 'grape.7'];

type FigureProps = {
  label: string;
  caption: string;
  /** The plotted numbers, for readers who cannot see the chart. */
  numbers: { headers: string[]; rows: (string | number)[][] };
  children: ReactNode;
};

function Figure({ label, caption, numbers, children }: FigureProps) {
  return (
    <FigurePanel title={label} caption={caption} order={2}>
      {children}
      <details>
        <summary>The numbers of {label}</summary>
        <Table aria-label={`The numbers of ${label}`} striped>
          <Table.Thead>
            <Table.Tr>
              {numbers.headers.map((h) => (
                <Table.Th key={h} scope="col">
                  {h}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {numbers.rows.map((row) => (
              <Table.Tr key={String(row[0])}>
                {row.map((cell, i) => (
                  <Table.Td key={i}>{typeof cell === 'number' ? formatRate(cell) : cell}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </details>
    </FigurePanel>
  );
}

// The chart's drawing is hidden from assistive technology: caption and table carry it.
const drawing = { 'aria-hidden': true, lineChartProps: { accessibilityLayer: false } } as const;

/** Fig. 5 and Fig. 6 of the paper, for the parameters solved. */
export function CapacityFigures({ solution }: { solution: CapacitySolution }) {
  const fig5 = fig5Rows(solution);
  const fig6 = fig6Rows(solution);
  const lines = solution.fig6.map((line) => line.name);
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <Figure
        label="Fig. 5"
        caption={`Requests per second reaching predict versus the token-aging probability: λ·(1 − p_stale), from ${formatRate(fig5[0]?.rate ?? 0)} req/s at 0 to 0 at 1 (a stale request leaves for the issuer).`}
        numbers={{
          headers: ['p_stale', 'req/s reaching predict'],
          rows: fig5.map((row) => [row.pStale, row.rate]),
        }}
      >
        <LineChart
          h={260}
          mt="sm"
          data={fig5}
          dataKey="pStale"
          series={[{ name: 'rate', label: 'req/s reaching predict', color: 'blue.7' }]}
          xAxisLabel="token-aging probability p_stale"
          yAxisLabel="req/s"
          valueFormatter={formatRate}
          curveType="linear"
          {...drawing}
        />
      </Figure>
      <Figure
        label="Fig. 6"
        caption={`Token requests per second from the wrappers to the validator versus the L1 cache lifetime, one line per number of wrappers (${lines.join(', ')}): more wrappers miss more, longer lifetimes miss less.`}
        numbers={{
          headers: ['L1 lifetime (s)', ...lines.map((name) => `${name} (req/s)`)],
          rows: fig6.map((row) => [row['lifetime'], ...lines.map((name) => row[name])]),
        }}
      >
        <LineChart
          h={260}
          mt="sm"
          data={fig6}
          dataKey="lifetime"
          series={lines.map((name, i) => ({ name, color: LINE_COLORS[i % LINE_COLORS.length] }))}
          xAxisLabel="L1 cache lifetime (s)"
          yAxisLabel="req/s to the validator"
          valueFormatter={formatRate}
          curveType="linear"
          withLegend
          {...drawing}
        />
      </Figure>
    </SimpleGrid>
  );
}
