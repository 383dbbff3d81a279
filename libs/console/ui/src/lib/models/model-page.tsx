import { Stack, Title } from '@mantine/core';
import { useParams } from 'wouter';

import { usePageTitle } from '../shell/page-title';

export function ModelPage() {
  const { name = '' } = useParams<{ name: string }>();
  usePageTitle(name);
  return (
    <Stack>
      <Title order={1}>{name}</Title>
    </Stack>
  );
}
