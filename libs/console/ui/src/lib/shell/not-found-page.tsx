import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'wouter';

import { usePageTitle } from './page-title';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <Stack>
      <Title order={1}>Page not found</Title>
      <Text>There is no console page here (or it is for admins only).</Text>
      <Anchor component={Link} href="/models">
        Go to the models
      </Anchor>
    </Stack>
  );
}
