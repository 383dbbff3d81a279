import { Anchor, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'wouter';

import { useLiveModel } from '../models/use-live-model';
import { Playground } from '../playground/playground';
import { ErrorAlert } from '../shell/error-alert';
import { usePageTitle } from '../shell/page-title';
import { CanaryPanel } from './canary-panel';
import { DeployPanel } from './deploy-panel';
import { RecentErrors } from './recent-errors';
import { VersionSummary } from './version-summary';

/** One version: what it is, deploy/scale/undeploy/stable/canary, a playground, its errors. */
export function ModelVersionPage() {
  const params = useParams<{ name: string; version: string }>();
  const name = params.name ?? '';
  const version = decodeURIComponent(params.version ?? '');
  usePageTitle(`${name} ${version}`);
  const { record, error, refresh } = useLiveModel(name);
  const versionRecord = record?.versions.find((entry) => entry.version === version);

  return (
    <Stack>
      <Group gap="xs">
        <Anchor component={Link} href="/models" size="sm">
          Models
        </Anchor>
        <Text size="sm" aria-hidden>
          /
        </Text>
        <Anchor component={Link} href={`/models/${name}`} size="sm">
          {name}
        </Anchor>
      </Group>
      <Title order={1}>
        {name} {version}
      </Title>
      {error !== undefined && <ErrorAlert error={error} />}
      {!record && error === undefined && <Loader aria-label="Loading the version" />}
      {record && !versionRecord && (
        <Text>
          Model {name} has no version {version}.
        </Text>
      )}
      {record && versionRecord && (
        <>
          <VersionSummary version={versionRecord} />
          <DeployPanel model={record} version={version} onChanged={refresh} />
          <CanaryPanel model={record} version={version} onChanged={refresh} />
          <Playground name={name} version={version} />
          <RecentErrors name={name} version={version} />
        </>
      )}
    </Stack>
  );
}
