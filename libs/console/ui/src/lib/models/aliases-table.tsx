import { Anchor, Group, Table, Text } from '@mantine/core';
import { Link } from 'wouter';

import type { AliasTarget } from '@ml-run/registry-contract';

/** Each alias and the versions it sends traffic to, with their weights (a canary split). */
export function AliasesTable({
  name,
  aliases,
}: {
  name: string;
  aliases: Record<string, AliasTarget>;
}) {
  const entries = Object.entries(aliases);
  if (entries.length === 0) return <Text c="dimmed">No aliases yet: deploy a version.</Text>;
  return (
    <Table aria-label="Aliases" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Alias</Table.Th>
          <Table.Th scope="col">Versions (weight)</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map(([alias, target]) => (
          <Table.Tr key={alias}>
            <Table.Td>{alias}</Table.Td>
            <Table.Td>
              <Group gap="md">
                {target.versions.map(({ version, weight }) => (
                  <Text key={version} size="sm">
                    <Anchor
                      component={Link}
                      href={`/models/${name}/versions/${version}`}
                      ff="monospace"
                    >
                      {version}
                    </Anchor>{' '}
                    {weight}%
                  </Text>
                ))}
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
