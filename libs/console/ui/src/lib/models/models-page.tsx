import { Loader, Stack, Title } from '@mantine/core';

import type { ModelListResponse } from '@ml-run/registry-contract';

import { useLoad } from '../api/use-load';
import { ErrorAlert } from '../shell/error-alert';
import { usePageTitle } from '../shell/page-title';
import { UploadPanel } from '../upload/upload-panel';
import { ModelsTable } from './models-table';

export function ModelsPage() {
  usePageTitle('Models');
  const models = useLoad(
    (api, signal) => api.get<ModelListResponse>('/v1/models', signal),
    'models',
  );
  return (
    <Stack>
      <Title order={1}>Models</Title>
      <UploadPanel onBuilt={models.reload} />
      <Title order={2} size="h3">
        All models
      </Title>
      {models.error !== undefined && <ErrorAlert error={models.error} />}
      {models.data ? (
        <ModelsTable models={models.data.models} />
      ) : (
        models.loading && <Loader aria-label="Loading the models" />
      )}
    </Stack>
  );
}
