import { checkSpec, DeployError, DeployErrorCode, type DeploymentSpec } from '@ml-run/deployer';

import { MAX_REPLICAS } from './port-blocks';

const MAX_LOG_CHARS = 300;

export function isNumber(value: number | undefined): value is number {
  return value !== undefined;
}

/** The spec's image; the swarm target runs images only, at most a port block of replicas. */
export function checkSwarmSpec(spec: DeploymentSpec): string {
  checkSpec(spec, MAX_REPLICAS);
  if (!spec.image)
    throw new DeployError(
      DeployErrorCode.DeploymentFailed,
      `${spec.name} ${spec.version} has no pushed image: the swarm target runs images, so build it with a builder that has MLRUN_DOCKER_HOST`,
    );
  return spec.image;
}

/** DEPLOYMENT_FAILED with the reason and, when there is one, the tail of the replicas' log. */
export function failure(
  of: { name: string; version: string },
  error: unknown,
  log: readonly string[] = [],
): DeployError {
  if (error instanceof DeployError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const tail = log.length > 0 ? `; last log: ${log.map(summaryOf).join(' | ')}` : '';
  return new DeployError(
    DeployErrorCode.DeploymentFailed,
    `${of.name} ${of.version} did not start: ${reason}${tail}`,
  );
}

// The wrapper logs pino JSON: its message and error say more than the whole line. Its
// 'model init failed' line carries the model's own error as `reason` (/readyz, public, does
// not).
function summaryOf(line: string): string {
  let summary = line;
  try {
    const parsed = JSON.parse(line) as {
      msg?: unknown;
      err?: { message?: unknown };
      reason?: unknown;
    };
    const parts = [parsed.msg, parsed.err?.message, parsed.reason].filter(
      (part) => typeof part === 'string',
    );
    if (parts.length > 0) summary = parts.join(': ');
  } catch {
    // not JSON: the line as it is
  }
  return summary.slice(0, MAX_LOG_CHARS);
}
