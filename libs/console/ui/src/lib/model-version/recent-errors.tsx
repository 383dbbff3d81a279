import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect } from 'react';

import type { RecentErrorsResponse } from '@ml-run/registry-contract';

import { ApiError } from '../api/api-error';
import { pathSegment } from '../api/path-segment';
import { useLoad } from '../api/use-load';
import { ErrorAlert } from '../shell/error-alert';

// Errors are for looking into a problem now: a slow refresh is enough, and cheap for the
// builder (it asks every replica).
const REFRESH_MS = 10_000;

/** The version's last failures: predictions (from its replicas), its build, its deployment. */
export function RecentErrors({ name, version }: { name: string; version: string }) {
  const path = `/v1/models/${pathSegment(name)}/versions/${pathSegment(version)}/errors`;
  const errors = useLoad((api, signal) => api.get<RecentErrorsResponse>(path, signal), path);
  const { reload } = errors;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const list = errors.data?.errors ?? [];

  return (
    <Paper component="section" aria-labelledby="errors-title" withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="errors-title">
            Recent errors
          </Title>
          <Button variant="default" size="xs" onClick={reload} loading={errors.loading}>
            Refresh
          </Button>
        </Group>
        {errors.error !== undefined &&
          (isMissingRoute(errors.error) ? (
            <Text size="sm">This builder does not report recent errors (it predates them).</Text>
          ) : (
            <ErrorAlert error={errors.error} />
          ))}
        {errors.data && list.length === 0 && <Text size="sm">No recent errors.</Text>}
        {list.length > 0 && (
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label="Recent errors of this version" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">When</Table.Th>
                  <Table.Th scope="col">Source</Table.Th>
                  <Table.Th scope="col">Status / code</Table.Th>
                  <Table.Th scope="col">Message</Table.Th>
                  <Table.Th scope="col">Request id</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((error, index) => (
                  <Table.Tr key={`${error.at}-${index}`}>
                    <Table.Td>{new Date(error.at).toLocaleString()}</Table.Td>
                    <Table.Td>
                      {error.source}
                      {error.replica ? ` (${error.replica})` : ''}
                    </Table.Td>
                    <Table.Td>
                      {[error.status, error.code].filter(Boolean).join(' ') || '—'}
                    </Table.Td>
                    <Table.Td>{error.message}</Table.Td>
                    <Table.Td ff="monospace" fz="xs">
                      {error.requestId ?? '—'}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

// A 404 naming no model or version: the route itself is missing (an older builder).
function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.code === 'NOT_FOUND';
}
