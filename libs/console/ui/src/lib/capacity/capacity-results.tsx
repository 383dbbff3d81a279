import { Badge, Paper, Table, Text, Title } from '@mantine/core';
import { useId } from 'react';

import {
  analysisText,
  recommendationText,
  stationRows,
  type CapacitySolution,
} from './capacity-solution';

/** The stations of the current deployment, and what the model recommends for the target. */
export function CapacityResults({ solution }: { solution: CapacitySolution }) {
  const tableId = useId();
  const recommendationId = useId();
  return (
    <>
      <section aria-labelledby={tableId}>
        <Title order={2} size="h3" id={tableId}>
          Stations
        </Title>
        <Text mb="xs">{analysisText(solution.analysis)}</Text>
        <Table.ScrollContainer minWidth={640}>
          <Table aria-labelledby={tableId} striped>
            <Table.Caption>
              Each station as an M/M/c queue (Jackson network) with the servers entered above.
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                {[
                  'Station',
                  'Arrival rate (/s)',
                  'Servers',
                  'Utilization',
                  'Mean wait (ms)',
                  'Mean time there (ms)',
                ].map((header) => (
                  <Table.Th key={header} scope="col">
                    {header}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {stationRows(solution.analysis).map((row) => (
                <Table.Tr key={row.name}>
                  <Table.Th scope="row">{row.name}</Table.Th>
                  <Table.Td>{row.arrivalRate}</Table.Td>
                  <Table.Td>{row.servers}</Table.Td>
                  <Table.Td>
                    {row.utilization}
                    {row.overloaded && ' '}
                    {row.overloaded && (
                      <Badge ml="xs" color="red" variant="light">
                        overloaded
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{row.meanWaitMs}</Table.Td>
                  <Table.Td>{row.meanSojournMs}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>
      <Paper withBorder p="md" component="section" aria-labelledby={recommendationId}>
        <Title order={2} size="h3" id={recommendationId}>
          Recommendation
        </Title>
        <Text>{recommendationText(solution)}</Text>
      </Paper>
    </>
  );
}
