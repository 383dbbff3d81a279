import { Badge, Table, Text, Title } from '@mantine/core';
import { useId } from 'react';

import { formatClock, formatLatency, formatPerSecond, formatShare } from './traffic-format';
import type { TrafficStats } from './traffic-stats';
import type { ReplicaTrafficRow, VersionTraffic } from './traffic-watch';

const STAT_HEADERS = [
  'Rate /s',
  'p50',
  'p99',
  'Errors (5xx)',
  'Refused (4xx)',
  'L1 hit ratio',
  'Validator calls /s',
];

function StatCells({ stats }: { stats: TrafficStats }) {
  return (
    <>
      <Table.Td>{formatPerSecond(stats.rate)}</Table.Td>
      <Table.Td>{formatLatency(stats.p50)}</Table.Td>
      <Table.Td>{formatLatency(stats.p99)}</Table.Td>
      <Table.Td>{formatShare(stats.errorRatio)}</Table.Td>
      <Table.Td>{formatShare(stats.clientErrorRatio)}</Table.Td>
      <Table.Td>{formatShare(stats.l1HitRatio)}</Table.Td>
      <Table.Td>{formatPerSecond(stats.validatorRate)}</Table.Td>
    </>
  );
}

function Headers({ first }: { first: string[] }) {
  return (
    <Table.Thead>
      <Table.Tr>
        {[...first, ...STAT_HEADERS].map((header) => (
          <Table.Th key={header} scope="col">
            {header}
          </Table.Th>
        ))}
      </Table.Tr>
    </Table.Thead>
  );
}

type VersionProps = { versions: VersionTraffic[]; since?: string; windowSeconds: number };

/** Per version: its share of the predictions since the page began watching, and its rates. */
export function VersionTrafficTable({ versions, since, windowSeconds }: VersionProps) {
  const titleId = useId();
  const sinceText = since ? formatClock(Date.parse(since)) : 'the first sample';
  return (
    <section aria-labelledby={titleId}>
      <Title order={2} id={titleId} size="h3">
        Traffic by version
      </Title>
      <Table.ScrollContainer minWidth={720}>
        <Table aria-labelledby={titleId} striped highlightOnHover>
          <Table.Caption>
            Share and Predictions count from {sinceText}, when this page began watching; rates,
            latencies and ratios cover the last {windowSeconds} s.
          </Table.Caption>
          <Headers first={['Version', 'Share', 'Predictions']} />
          <Table.Tbody>
            {versions.map((row) => (
              <Table.Tr key={row.version}>
                <Table.Th scope="row">{row.version}</Table.Th>
                <Table.Td>{formatShare(row.shareSinceStart)}</Table.Td>
                <Table.Td>{row.requestsSinceStart}</Table.Td>
                <StatCells stats={row.stats} />
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {versions.length === 0 && <Text>No version of this model is deployed.</Text>}
    </section>
  );
}

/** Per replica of the latest sample: its state and rates. */
export function ReplicaTrafficTable({ replicas }: { replicas: ReplicaTrafficRow[] }) {
  const titleId = useId();
  return (
    <section aria-labelledby={titleId}>
      <Title order={2} id={titleId} size="h3">
        Traffic by replica
      </Title>
      <Table.ScrollContainer minWidth={720}>
        <Table aria-labelledby={titleId} striped highlightOnHover>
          <Headers first={['Replica', 'Version', 'State']} />
          <Table.Tbody>
            {replicas.map((row) => (
              <Table.Tr key={`${row.version}/${row.replica}`}>
                <Table.Th scope="row">{row.replica}</Table.Th>
                <Table.Td>{row.version}</Table.Td>
                <Table.Td>
                  {row.state}
                  {!row.scraped && ' '}
                  {!row.scraped && (
                    <Badge ml="xs" color="orange" variant="light">
                      metrics unavailable
                    </Badge>
                  )}
                </Table.Td>
                <StatCells stats={row.stats} />
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {replicas.length === 0 && <Text>No replica is running.</Text>}
    </section>
  );
}
