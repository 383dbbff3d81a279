import { Box, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';

import { predictScope } from '@ml-run/token-contract';

import { useApi } from '../api/api-context';
import { ErrorAlert } from '../shell/error-alert';
import { ScopedButton } from '../shell/scoped-button';
import { formatAnswer, predictPath } from './predict';

type Outcome = { answer?: string; error?: unknown; latencyMs: number };

/**
 * Calls this version's predict through the router (the console's /console/api/router
 * proxy) with the editor's body; the latency is measured here, in the browser, so it
 * includes the network and the proxy.
 */
export function Playground({ name, version }: { name: string; version: string }) {
  const api = useApi();
  const [body, setBody] = useState('{}');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  async function predict() {
    setBusy(true);
    const started = performance.now();
    try {
      const answer = await api.send<unknown>(
        'POST',
        predictPath(name, version),
        new Blob([body], { type: 'application/json' }),
      );
      setOutcome({ answer: formatAnswer(answer), latencyMs: performance.now() - started });
    } catch (error) {
      setOutcome({ error, latencyMs: performance.now() - started });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper component="section" aria-labelledby="playground-title" withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4" id="playground-title">
          Playground
        </Title>
        <Textarea
          label="Request body"
          description="JSON, as the model's predict takes it"
          autosize
          minRows={3}
          maxRows={12}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
        />
        <Group>
          <ScopedButton scope={predictScope(name)} onClick={() => void predict()} loading={busy}>
            Predict
          </ScopedButton>
        </Group>
        {outcome && (
          <Box component="section" aria-labelledby="answer-title">
            <Title order={3} size="h5" id="answer-title">
              Answer
            </Title>
            {outcome.error !== undefined ? (
              <ErrorAlert error={outcome.error} title="Predict failed" />
            ) : (
              <Box
                component="pre"
                tabIndex={0}
                m={0}
                p="xs"
                ff="monospace"
                fz="sm"
                bg="var(--mantine-color-default-hover)"
                style={{ overflow: 'auto', whiteSpace: 'pre-wrap' }}
              >
                {outcome.answer}
              </Box>
            )}
            <Text size="sm" mt="xs">
              Latency: {Math.round(outcome.latencyMs)} ms
            </Text>
          </Box>
        )}
      </Stack>
    </Paper>
  );
}
