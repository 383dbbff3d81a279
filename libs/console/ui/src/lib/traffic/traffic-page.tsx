import { Stack, Text, Title } from '@mantine/core';

import { usePageTitle } from '../shell/page-title';

// Placeholder: the "pages" helper replaces this page.
export function TrafficPage() {
  usePageTitle('Traffic');
  return (
    <Stack>
      <Title order={1}>Traffic</Title>
      <Text>Coming soon.</Text>
    </Stack>
  );
}
