import { Stack, Title } from '@mantine/core';
import { useParams } from 'wouter';

import { usePageTitle } from '../shell/page-title';

export function ModelVersionPage() {
  const { name = '', version = '' } = useParams<{ name: string; version: string }>();
  usePageTitle(`${name} ${version}`);
  return (
    <Stack>
      <Title order={1}>
        {name} {version}
      </Title>
    </Stack>
  );
}
