import { Anchor, Badge, Group, Loader, Stack, Title } from '@mantine/core';
import { Link, useParams } from 'wouter';

import { ErrorAlert } from '../shell/error-alert';
import { usePageTitle } from '../shell/page-title';
import { AliasesTable } from './aliases-table';
import { DeploymentsTable } from './deployments-table';
import { OwnersList } from './owners-list';
import { useLiveModel } from './use-live-model';
import { VersionsTable } from './versions-table';

/** One model: its versions, aliases (canary weights), deployments with live replica states. */
export function ModelPage() {
  const { name = '' } = useParams<{ name: string }>();
  usePageTitle(name);
  const { record, error, mode } = useLiveModel(name);
  return (
    <Stack>
      <Anchor component={Link} href="/models" size="sm">
        ← Models
      </Anchor>
      <Group justify="space-between">
        <Title order={1}>{name}</Title>
        <Badge variant="light" color={mode === 'stream' ? 'green' : 'gray'}>
          {mode === 'stream' ? 'live' : 'refreshed every 2 s'}
        </Badge>
      </Group>
      {error !== undefined && <ErrorAlert error={error} />}
      {!record && error === undefined && <Loader aria-label="Loading the model" />}
      {record && (
        <>
          <Title order={2} size="h3">
            Versions
          </Title>
          <VersionsTable versions={record.versions} />
          <Title order={2} size="h3">
            Aliases
          </Title>
          <AliasesTable name={record.name} aliases={record.aliases} />
          <Title order={2} size="h3">
            Deployments
          </Title>
          <DeploymentsTable deployments={record.deployments} />
          <Title order={2} size="h3">
            Owners
          </Title>
          <OwnersList owners={record.owners} />
        </>
      )}
    </Stack>
  );
}
