import { Button, Group, Modal, Paper, Slider, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';

import { DEFAULT_ALIAS, type ModelRecord } from '@ml-run/registry-contract';
import { modelScope } from '@ml-run/token-contract';

import { useApi } from '../api/api-context';
import { pathSegment } from '../api/path-segment';
import { useAction } from '../api/use-action';
import { ErrorAlert } from '../shell/error-alert';
import { ScopedButton } from '../shell/scoped-button';
import { canaryBase, canarySplit, describeSplit } from './canary';

/**
 * This version's share of stable against the version stable mostly sends traffic to now;
 * applied after a confirmation (it changes live traffic at once).
 */
export function CanaryPanel({
  model,
  version,
  onChanged,
}: {
  model: ModelRecord;
  version: string;
  onChanged?: () => void;
}) {
  const api = useApi();
  const stable = model.aliases[DEFAULT_ALIAS];
  const { base, weight: current } = canaryBase(stable, version);
  const [weight, setWeight] = useState(current || 10);
  const [confirming, setConfirming] = useState(false);
  const [state, run] = useAction(onChanged);
  useEffect(() => setWeight(current || 10), [current]);

  if (!base) return <NoCanary hasStable={stable !== undefined} />;
  const split = canarySplit(base, version, weight);
  const apply = () => {
    setConfirming(false);
    run('apply', async () => {
      await api.send(
        'PUT',
        `/v1/models/${pathSegment(model.name)}/aliases/${DEFAULT_ALIAS}`,
        split,
      );
      return `Stable now splits: ${describeSplit(split)}.`;
    });
  };

  return (
    <Paper component="section" aria-labelledby="canary-title" withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4" id="canary-title">
          Canary
        </Title>
        <Text size="sm">
          Share of stable's traffic for this version, against {base} (now {current}%).
        </Text>
        <Text size="sm" fw={500} id="canary-weight-label">
          Canary weight (%): {weight}
        </Text>
        <Slider
          value={weight}
          onChange={setWeight}
          min={0}
          max={100}
          step={1}
          thumbLabel="Canary weight (%)"
          marks={[{ value: 0 }, { value: 50 }, { value: 100 }]}
          label={(value) => `${value}%`}
        />
        <Group>
          <ScopedButton
            scope={modelScope('models:write', model.name)}
            onClick={() => setConfirming(true)}
            loading={state.busy === 'apply'}
          >
            Apply canary split
          </ScopedButton>
        </Group>
        {state.error !== undefined && <ErrorAlert error={state.error} />}
        {state.done && (
          <Text size="sm" role="status">
            {state.done}
          </Text>
        )}
      </Stack>
      <ConfirmSplit
        opened={confirming}
        split={describeSplit(split)}
        onCancel={() => setConfirming(false)}
        onConfirm={apply}
      />
    </Paper>
  );
}

function ConfirmSplit(props: {
  opened: boolean;
  split: string;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <Modal opened={props.opened} onClose={props.onCancel} title="Change live traffic?">
      <Stack>
        <Text size="sm">Stable will send: {props.split}. The routers apply it within seconds.</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button onClick={props.onConfirm}>Confirm</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function NoCanary({ hasStable }: { hasStable: boolean }) {
  return (
    <Paper component="section" aria-labelledby="canary-title" withBorder p="md">
      <Title order={2} size="h4" id="canary-title">
        Canary
      </Title>
      <Text size="sm">
        {hasStable
          ? 'Stable sends all traffic to this version: nothing to split against.'
          : 'The model has no stable alias yet: deploy a version first.'}
      </Text>
    </Paper>
  );
}
