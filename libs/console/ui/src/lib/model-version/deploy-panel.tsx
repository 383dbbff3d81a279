import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';

import {
  DEPLOY_TARGETS,
  isDeployTarget,
  RegistryErrorCode,
  type DeploymentRecord,
  type DeployTarget,
  type ModelRecord,
} from '@ml-run/registry-contract';
import { modelScope } from '@ml-run/token-contract';

import { ApiError } from '../api/api-error';
import type { ActionState } from '../api/use-action';
import { ErrorAlert } from '../shell/error-alert';
import { ScopedButton } from '../shell/scoped-button';
import { useDeployActions, type DeployActions } from './use-deploy-actions';
import { versionActions, type VersionActions } from './version-actions';

// A Record, so a target added to the contract fails to compile here until it has a label.
const TARGET_LABELS: Record<DeployTarget, string> = {
  process: 'process (child processes)',
  swarm: 'swarm (Docker Swarm)',
  openshift: 'openshift',
};

const TARGETS = [
  { value: '', label: "Builder's default" },
  ...DEPLOY_TARGETS.map((value) => ({ value, label: TARGET_LABELS[value] })),
];

const DEPLOY_HELP =
  'Deploy and Scale answer once every replica is ready. The first deployment of a model ' +
  'becomes stable; deploying another version moves stable to it (unless stable is a canary ' +
  'split) and stops the old one after the drain time.';

/** Deploy, scale, undeploy, make stable: each needs models:write on the model. */
export function DeployPanel({
  model,
  version,
  onChanged,
}: {
  model: ModelRecord;
  version: string;
  onChanged?: () => void;
}) {
  const actions = versionActions(model, version);
  const [replicas, setReplicas] = useState<number>(actions.version?.defaultReplicas ?? 1);
  const [target, setTarget] = useState<DeployTarget | ''>('');
  const calls = useDeployActions(model, version, onChanged);
  const { state } = calls;
  useDeployedDefaults(actions.deployment, setReplicas, setTarget);
  const write = modelScope('models:write', model.name);

  return (
    <Paper component="section" aria-labelledby="deploy-title" withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4" id="deploy-title">
          Deployment
        </Title>
        <Group align="flex-end">
          <NumberInput
            label="Replicas"
            min={1}
            max={64}
            value={replicas}
            onChange={(value) => setReplicas(Number(value) || 1)}
            w={120}
          />
          <Select
            label="Target"
            data={TARGETS}
            value={target}
            onChange={(value) => setTarget(isDeployTarget(value) ? value : '')}
            allowDeselect={false}
            w={240}
          />
        </Group>
        <DeployButtons
          write={write}
          actions={actions}
          calls={calls}
          deploy={(verb) => calls.deploy(verb, replicas, target)}
        />
        <Text size="sm" c="dimmed">
          {DEPLOY_HELP}
        </Text>
        <ActionOutcome state={state} onForce={() => calls.undeploy(true)} />
      </Stack>
    </Paper>
  );
}

// Once deployed, the form starts from what runs.
function useDeployedDefaults(
  deployment: DeploymentRecord | undefined,
  setReplicas: (n: number) => void,
  setTarget: (target: DeployTarget) => void,
) {
  const replicas = deployment?.replicas;
  const target = deployment?.target;
  useEffect(() => {
    if (replicas !== undefined) setReplicas(replicas);
    if (target !== undefined) setTarget(target);
  }, [replicas, target, setReplicas, setTarget]);
}

function ActionOutcome({ state, onForce }: { state: ActionState; onForce: () => void }) {
  if (state.error instanceof ApiError && state.error.code === RegistryErrorCode.DeploymentInUse) {
    return (
      <Alert color="orange" title="Stable sends all traffic to this version" role="alert">
        <Stack gap="xs">
          <Text size="sm">
            Undeploying it leaves stable with no replica: predictions to the model (its stable
            alias) answer 503 until another version is deployed and made stable. Make another
            version stable first, or undeploy anyway.
          </Text>
          <Group>
            <Button color="red" onClick={onForce}>
              Undeploy anyway
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  if (state.error !== undefined) return <ErrorAlert error={state.error} />;
  if (state.done) {
    return (
      <Alert color="green" role="status">
        {state.done}
      </Alert>
    );
  }
  return null;
}

function DeployButtons({
  write,
  actions,
  calls,
  deploy,
}: {
  write: string;
  actions: VersionActions;
  calls: DeployActions;
  deploy: (verb: 'Deploy' | 'Scale') => void;
}) {
  return (
    <Group>
      <ScopedButton
        scope={write}
        onClick={() => deploy('Deploy')}
        disabled={!actions.canDeploy || !!calls.state.busy}
        loading={calls.state.busy === 'Deploy'}
      >
        Deploy
      </ScopedButton>
      <ScopedButton
        scope={write}
        variant="light"
        onClick={() => deploy('Scale')}
        disabled={!actions.canScale || !!calls.state.busy}
        loading={calls.state.busy === 'Scale'}
      >
        Scale
      </ScopedButton>
      <ScopedButton
        scope={write}
        variant="light"
        color="red"
        onClick={() => calls.undeploy(false)}
        disabled={!actions.canUndeploy || !!calls.state.busy}
        loading={calls.state.busy === 'Undeploy'}
      >
        Undeploy
      </ScopedButton>
      <ScopedButton
        scope={write}
        variant="default"
        onClick={calls.makeStable}
        disabled={!actions.canMakeStable || !!calls.state.busy}
        loading={calls.state.busy === 'Make stable'}
      >
        Make stable
      </ScopedButton>
    </Group>
  );
}
