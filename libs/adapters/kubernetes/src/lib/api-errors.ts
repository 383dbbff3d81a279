import { ApiException } from '@kubernetes/client-node';

import { DeployError, DeployErrorCode } from '@ml-run/deployer';

/** The apiserver's own message (its Status body), or the error's. */
export function apiMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    try {
      const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown };
      if (typeof status?.message === 'string') return `${error.code}: ${status.message}`;
    } catch {
      // not a Status: the exception's own text
    }
    return `${error.code}: ${error.message.split('\n')[0]}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The apiserver refused an object (RBAC, validation, admission): nothing was deployed. */
export function applyRefused(of: { name: string; version: string }, error: unknown): DeployError {
  if (error instanceof DeployError) return error;
  return new DeployError(
    DeployErrorCode.DeploymentFailed,
    `${of.name} ${of.version}: the cluster refused its objects: ${apiMessage(error)}`,
  );
}
