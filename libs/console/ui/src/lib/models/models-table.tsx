import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { Link } from 'wouter';

import type { ModelListResponse } from '@ml-run/registry-contract';

/** One row per model the caller may read; the name leads to the model's page. */
export function ModelsTable({ models }: { models: ModelListResponse['models'] }) {
  if (models.length === 0) {
    return <Text c="dimmed">No models yet (or none this session may read).</Text>;
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label="Models" striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Latest version</Table.Th>
            <Table.Th scope="col">Versions</Table.Th>
            <Table.Th scope="col">Aliases</Table.Th>
            <Table.Th scope="col">Deployed</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {models.map((model) => (
            <Table.Tr key={model.name}>
              <Table.Td>
                <Anchor component={Link} href={`/models/${model.name}`}>
                  {model.name}
                </Anchor>
              </Table.Td>
              <Table.Td ff="monospace">{model.latestVersion}</Table.Td>
              <Table.Td>{model.versions}</Table.Td>
              <Table.Td>{model.aliases.join(', ') || '—'}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {model.deployed.length === 0 && '—'}
                  {model.deployed.map((version) => (
                    <Badge key={version} variant="light" tt="none">
                      {version}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
