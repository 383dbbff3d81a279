import { Stack, Title } from '@mantine/core';

import { usePageTitle } from '../shell/page-title';

export function ModelsPage() {
  usePageTitle('Models');
  return (
    <Stack>
      <Title order={1}>Models</Title>
    </Stack>
  );
}
