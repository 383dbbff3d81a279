import { Anchor, Badge, Table, Text } from '@mantine/core';
import { Link } from 'wouter';

import type { ModelVersionRecord } from '@ml-run/registry-contract';

import { stateColor } from './state-colors';

export function VersionsTable({ versions }: { versions: ModelVersionRecord[] }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table aria-label="Versions" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Version</Table.Th>
            <Table.Th scope="col">Code version</Table.Th>
            <Table.Th scope="col">Coefficients digest</Table.Th>
            <Table.Th scope="col">Build</Table.Th>
            <Table.Th scope="col">Image</Table.Th>
            <Table.Th scope="col">Uploaded</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...versions].reverse().map((version) => (
            <Table.Tr key={version.version}>
              <Table.Td>
                <Anchor
                  component={Link}
                  href={`/models/${version.name}/versions/${version.version}`}
                  ff="monospace"
                >
                  {version.version}
                </Anchor>
              </Table.Td>
              <Table.Td>{version.codeVersion}</Table.Td>
              <Table.Td ff="monospace" title={version.coefficientsDigest}>
                {version.coefficientsDigest.slice(0, 19)}…
              </Table.Td>
              <Table.Td>
                <Badge color={stateColor(version.state)} variant="light">
                  {version.state.replace('_', ' ')}
                </Badge>
              </Table.Td>
              <Table.Td ff="monospace" fz="xs">
                {version.image ? version.image.tag : '—'}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {version.uploadedBy}, {new Date(version.uploadedAt).toLocaleString()}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
