import { Badge, Code, Group, SimpleGrid, Text } from '@mantine/core';

import type { ModelVersionRecord } from '@ml-run/registry-contract';

import { stateColor } from '../models/state-colors';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

/** The version's record: code, coefficients, build, image. */
export function VersionSummary({ version }: { version: ModelVersionRecord }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
      <Field label="Code version">{version.codeVersion}</Field>
      <Field label="Coefficients digest">
        <Code style={{ wordBreak: 'break-all' }}>{version.coefficientsDigest}</Code>
      </Field>
      <Field label="Build">
        <Group gap="xs">
          <Badge color={stateColor(version.state)} variant="light">
            {version.state.replace('_', ' ')}
          </Badge>
          <Code>{version.buildId}</Code>
        </Group>
      </Field>
      <Field label="Runtime">{version.runtime}</Field>
      <Field label="Image">
        {version.image ? (
          <Code style={{ wordBreak: 'break-all' }}>{version.image.reference}</Code>
        ) : (
          'none (process target)'
        )}
      </Field>
      <Field label="Uploaded">
        {version.uploadedBy}, {new Date(version.uploadedAt).toLocaleString()}
      </Field>
    </SimpleGrid>
  );
}
