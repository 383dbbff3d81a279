// What a builder tells about its host before it starts process replicas there: the level
// python models will get, and whether deploys must be refused (cluster mode fails closed).
import { Sandbox } from './sandbox';
import { SandboxError } from './sandbox.errors';
import type { IsolationLevel, SandboxMode } from './sandbox.types';

export type HostSandbox = {
  summary: { level: IsolationLevel; warnings: string[] };
  /** Set when process deployments must be refused: says what to install or set. */
  refusal?: string;
};

/**
 * `failClosed` (cluster mode): no isolation at all refuses deploys unless the admin set
 * MLRUN_SANDBOX=off. Embedded mode only warns.
 */
export async function hostSandbox(mode: SandboxMode, failClosed: boolean): Promise<HostSandbox> {
  let sandbox: Sandbox;
  try {
    sandbox = await Sandbox.detect(mode);
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    return { summary: { level: 'off', warnings: [error.message] }, refusal: error.message };
  }
  const { level, warnings } = sandbox.isolation;
  const summary = { level, warnings: [...warnings] };
  if (failClosed && level === 'off' && mode !== 'off') {
    const refusal =
      `this host cannot sandbox model code (${warnings.join('; ')}): ` +
      'run tools/services/sandbox/up.sh as root, or set MLRUN_SANDBOX=off to run models unsandboxed';
    return { summary, refusal };
  }
  return { summary };
}
