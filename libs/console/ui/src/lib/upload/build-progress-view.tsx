import { Badge, Box, Group, List, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useId, useRef } from 'react';

import type { BuildStep, UploadResponse } from '@ml-run/registry-contract';

import { ErrorAlert } from '../shell/error-alert';
import { toneColor } from '../shell/theme';
import { buildOutcome } from './build-progress';
import { useBuildProgress } from './use-build-progress';

const STEP_COLORS: Record<BuildStep['state'], string> = {
  pending: 'gray',
  running: 'blue',
  done: 'green',
  failed: 'red',
  skipped: 'gray',
};

/** A build's live steps and log, then its outcome ("Build succeeded" / "Build failed: …"). */
export function BuildProgressView({
  upload,
  onDone,
}: {
  upload: UploadResponse;
  onDone?: () => void;
}) {
  const titleId = useId();
  const { progress, error } = useBuildProgress(upload.buildId);
  const finished = progress.done !== undefined;
  useEffect(() => {
    if (finished) onDone?.();
  }, [finished, onDone]);

  return (
    <Paper component="section" aria-labelledby={titleId} withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4" id={titleId}>
          Build progress
        </Title>
        <Text size="sm">
          {upload.name} {upload.version} · build {upload.buildId}
          {upload.created ? '' : ' (this content was uploaded before: no new build)'}
        </Text>
        <List listStyleType="none" spacing={4} aria-label="Build steps">
          {progress.steps.map((step) => (
            <List.Item key={step.name}>
              <Group gap="xs">
                <Badge color={STEP_COLORS[step.state]} variant="light" w={90}>
                  {step.state}
                </Badge>
                <Text size="sm">{step.name}</Text>
                {step.message && (
                  <Text size="sm" c="dimmed">
                    {step.message}
                  </Text>
                )}
              </Group>
            </List.Item>
          ))}
        </List>
        <BuildLog lines={progress.log} />
        {progress.done ? (
          <Text
            role="status"
            fw={700}
            c={toneColor(progress.done.state === 'succeeded' ? 'green' : 'red')}
          >
            {buildOutcome(progress.done)}
          </Text>
        ) : (
          <Group gap="xs">
            <Loader size="xs" aria-hidden />
            <Text size="sm">Building…</Text>
          </Group>
        )}
        {error !== undefined && <ErrorAlert error={error} title="The build's events stopped" />}
      </Stack>
    </Paper>
  );
}

function BuildLog({ lines }: { lines: string[] }) {
  const box = useRef<HTMLPreElement>(null);
  // Follow the end while it grows, as a terminal does.
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines]);
  return (
    <Box
      component="pre"
      ref={box}
      role="log"
      aria-label="Build log"
      tabIndex={0}
      m={0}
      p="xs"
      mah={240}
      ff="monospace"
      fz="xs"
      bg="var(--mantine-color-default-hover)"
      style={{ overflow: 'auto', whiteSpace: 'pre-wrap', borderRadius: 4 }}
    >
      {lines.length > 0 ? lines.join('\n') : 'No output yet.'}
    </Box>
  );
}
