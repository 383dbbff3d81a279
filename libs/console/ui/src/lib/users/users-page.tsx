import { Stack, Text, Title } from '@mantine/core';

import { usePageTitle } from '../shell/page-title';

// Placeholder: the "pages" helper replaces this page.
export function UsersPage() {
  usePageTitle('Users and tokens');
  return (
    <Stack>
      <Title order={1}>Users and tokens</Title>
      <Text>Coming soon.</Text>
    </Stack>
  );
}
