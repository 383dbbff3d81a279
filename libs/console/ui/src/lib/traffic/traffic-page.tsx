import { Group, Loader, Select, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useSearchParams } from 'wouter';

import type { ModelListResponse } from '@ml-run/registry-contract';

import { useLoad } from '../api/use-load';
import { ErrorAlert } from '../shell/error-alert';
import { usePageTitle } from '../shell/page-title';
import { TrafficCharts } from './traffic-charts';
import { ReplicaTrafficTable, VersionTrafficTable } from './traffic-tables';
import { HISTORY_SECONDS, WINDOW_SECONDS } from './traffic-watch';
import { POLL_MS, useTrafficWatch } from './use-traffic-watch';

/** Live traffic of one model: shares by version since the page opened, rates, latencies. */
export function TrafficPage() {
  usePageTitle('Traffic');
  const models = useLoad(
    (api, signal) => api.get<ModelListResponse>('/v1/models', signal),
    'models',
  );
  const names = (models.data?.models ?? []).map((m) => m.name).sort();
  // The model is in the address (?model=iris), so other pages can link to its traffic.
  const [search, setSearch] = useSearchParams();
  const model = search.get('model');
  const setModel = (name: string | null) =>
    setSearch(name ? { model: name } : {}, { replace: true });
  // The first model is shown until another is chosen.
  useEffect(() => {
    if (model === null && names.length > 0) setModel(names[0]);
  });
  const traffic = useTrafficWatch(model);
  const versions = traffic.view?.versions.map((v) => v.version) ?? [];
  return (
    <Stack>
      <Title order={1}>Traffic</Title>
      <Text>
        The builder reads every replica's counters; this page polls them every {POLL_MS / 1000} s
        and computes rates, latency percentiles and shares from the differences.
      </Text>
      {models.error !== undefined && (
        <ErrorAlert error={models.error} title="Cannot list the models" />
      )}
      <Group align="end">
        <Select
          label="Model"
          placeholder={models.loading ? 'Loading…' : 'Choose a model'}
          data={names}
          value={model}
          onChange={setModel}
          searchable
          nothingFoundMessage="No such model"
          allowDeselect={false}
          w={280}
        />
        {model && !traffic.view && !traffic.error && (
          <Loader size="sm" role="status" aria-label="Loading traffic" />
        )}
      </Group>
      {!models.loading && names.length === 0 && !models.error && (
        <Text>No model is visible to you yet: upload one on the Models page.</Text>
      )}
      {traffic.error !== undefined && (
        <ErrorAlert
          error={traffic.error}
          title={traffic.stopped ? 'Cannot read the traffic' : 'The last poll failed; retrying'}
        />
      )}
      {traffic.view && (
        <>
          <VersionTrafficTable
            versions={traffic.view.versions}
            since={traffic.since}
            windowSeconds={WINDOW_SECONDS}
          />
          <ReplicaTrafficTable replicas={traffic.view.replicas} />
          <TrafficCharts
            history={traffic.view.history}
            versions={versions}
            historyMinutes={HISTORY_SECONDS / 60}
          />
        </>
      )}
    </Stack>
  );
}
