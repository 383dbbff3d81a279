// The ml-run-model template's parameters for one model version.
import { createHash } from 'node:crypto';

import type { DeploymentSpec } from '@ml-run/deployer';

import { instanceNameOf, versionLabelOf } from './model-names';

export const DEFAULT_WRAPPER_PORT = 9000;
/** The manifest's defaults, for a spec without resources (the contract always sets them). */
const DEFAULT_RESOURCES = { cpu: '500m', memory: '512Mi' };

export type ParameterSettings = {
  installation: string;
  wrapperPort: number;
  /** The dockerconfigjson Secret pods pull with; none: the service account's. */
  pullSecretName?: string;
};

/**
 * The model container's requests equal its limits (the manifest's resources), so a quota
 * counts what the model may use; the template adds the wrapper container's small share. ENV_DIGEST changes with the settings, so new settings roll the
 * pods (envFrom alone would not restart them).
 */
export function modelParameters(
  spec: DeploymentSpec & { image: string },
  settings: ParameterSettings,
): Record<string, string> {
  const resources = spec.resources ?? DEFAULT_RESOURCES;
  const env = JSON.stringify(sortedEntries(spec.env));
  const data = Object.fromEntries(
    Object.entries(spec.env).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
  );
  return {
    NAME: spec.name,
    VERSION: spec.version,
    VERSION_LABEL: versionLabelOf(spec.version),
    INSTANCE: instanceNameOf(settings.installation, spec.name, spec.version),
    IMAGE: spec.image,
    INSTALLATION: settings.installation,
    REPLICAS: String(spec.replicas),
    CPU_REQUEST: resources.cpu,
    CPU_LIMIT: resources.cpu,
    MEMORY_REQUEST: resources.memory,
    MEMORY_LIMIT: resources.memory,
    GPU_COUNT: String(spec.resources?.gpu ?? 0),
    PORT: String(settings.wrapperPort),
    IMAGE_PULL_SECRETS: JSON.stringify(
      settings.pullSecretName ? [{ name: settings.pullSecretName }] : [],
    ),
    ENV_DATA: JSON.stringify(data),
    ENV_DIGEST: createHash('sha256').update(env).digest('hex').slice(0, 16),
  };
}

// Sorted, so the same settings always give the same digest.
function sortedEntries(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
}
