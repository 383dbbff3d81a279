import { Stack, Text, Title } from '@mantine/core';

import { usePageTitle } from '../shell/page-title';

// Placeholder: the "pages" helper replaces this page.
export function CapacityPage() {
  usePageTitle('Capacity');
  return (
    <Stack>
      <Title order={1}>Capacity</Title>
      <Text>Coming soon.</Text>
    </Stack>
  );
}
