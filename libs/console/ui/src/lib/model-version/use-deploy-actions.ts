import {
  DEFAULT_ALIAS,
  type DeploymentRecord,
  type DeployTarget,
  type ModelRecord,
} from '@ml-run/registry-contract';

import { useApi } from '../api/api-context';
import { pathSegment } from '../api/path-segment';
import { useAction, type ActionState } from '../api/use-action';
import { deploymentPath, deploymentRequest } from './version-actions';

export type DeployActions = {
  state: ActionState;
  deploy(verb: 'Deploy' | 'Scale', replicas: number, target: DeployTarget | ''): void;
  undeploy(force: boolean): void;
  makeStable(): void;
};

/** The version page's deployment calls, one at a time, with their outcome in a sentence. */
export function useDeployActions(
  model: ModelRecord,
  version: string,
  onChanged?: () => void,
): DeployActions {
  const api = useApi();
  const [state, run] = useAction(onChanged);
  const aliasPath = `/v1/models/${pathSegment(model.name)}/aliases/${DEFAULT_ALIAS}`;
  return {
    state,
    // Scale is the same call with another count: the builder adds or stops replicas.
    deploy: (verb, replicas, target) =>
      run(verb, async () => {
        const body = deploymentRequest(replicas, target);
        const path = deploymentPath(model.name, version);
        const record = await api.send<DeploymentRecord>('POST', path, body);
        const did = verb === 'Scale' ? 'Scaled' : 'Deployed';
        const count = record.replicas === 1 ? '1 replica' : `${record.replicas} replicas`;
        return `${did}: ${count} on ${record.target}, ${record.state}.`;
      }),
    undeploy: (force) =>
      run('Undeploy', async () => {
        await api.send('DELETE', deploymentPath(model.name, version, force));
        return 'Undeployed: its replicas are stopped.';
      }),
    makeStable: () =>
      run('Make stable', async () => {
        await api.send('PUT', aliasPath, { version });
        return `Stable now sends all traffic to ${version}.`;
      }),
  };
}
