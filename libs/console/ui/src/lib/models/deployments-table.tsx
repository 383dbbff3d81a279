import { Badge, Group, Stack, Table, Text } from '@mantine/core';

import type { DeploymentRecord } from '@ml-run/registry-contract';

import { stateColor } from './state-colors';

/** Deployed versions with each replica's id and live state (never its URL). */
export function DeploymentsTable({ deployments }: { deployments: DeploymentRecord[] }) {
  const shown = deployments.filter((deployment) => deployment.state !== 'removed');
  if (shown.length === 0) return <Text c="dimmed">No version is deployed.</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label="Deployments" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Version</Table.Th>
            <Table.Th scope="col">Target</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Replicas</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((deployment) => (
            <Table.Tr key={deployment.version}>
              <Table.Td ff="monospace">{deployment.version}</Table.Td>
              <Table.Td>{deployment.target}</Table.Td>
              <Table.Td>
                <Badge color={stateColor(deployment.state)} variant="light">
                  {deployment.state}
                </Badge>
              </Table.Td>
              <Table.Td>
                <ReplicaList deployment={deployment} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ReplicaList({ deployment }: { deployment: DeploymentRecord }) {
  return (
    <Stack gap={2}>
      <Text size="sm">{deployment.replicas} wanted</Text>
      {deployment.replicaStatus.map((replica) => (
        <Group key={replica.id} gap="xs" wrap="nowrap">
          <Text size="sm" ff="monospace">
            {replica.id}
          </Text>
          <Badge color={stateColor(replica.state)} variant="light">
            {replica.state}
          </Badge>
          {replica.restarts > 0 && <Text size="xs">{replica.restarts} restarts</Text>}
          {replica.error && (
            <Text size="xs" c="dimmed">
              {replica.error}
            </Text>
          )}
        </Group>
      ))}
    </Stack>
  );
}
