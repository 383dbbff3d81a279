import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

import { PEERS_INSTALL_COMMAND, PEERS_LOCK, peersVenv, stampFile, venvBin } from './peer-paths';

export type InstallState = { installed: boolean; reason?: string };

/** What install.sh stamps: the sha256 of the lock file's bytes, hex. */
export function lockDigest(lock: Buffer | string): string {
  return createHash('sha256').update(lock).digest('hex');
}

/**
 * Whether the venv holds what the lock pins: installed by install.sh (its stamp, written
 * last, exists) from this very lock (same digest), with the programs the peers run.
 */
export function installState(facts: {
  venv: string;
  lockDigest: string;
  stamp: string | undefined;
  missingPrograms: string[];
}): InstallState {
  const fix = `run ${PEERS_INSTALL_COMMAND}`;
  if (facts.stamp === undefined) {
    return { installed: false, reason: `no peers venv at ${facts.venv}: ${fix}` };
  }
  if (facts.stamp.trim() !== facts.lockDigest) {
    return {
      installed: false,
      reason: `the peers venv at ${facts.venv} was built from another requirements.lock: ${fix}`,
    };
  }
  if (facts.missingPrograms.length > 0) {
    return {
      installed: false,
      reason: `the peers venv at ${facts.venv} lacks ${facts.missingPrograms.join(', ')}: ${fix}`,
    };
  }
  return { installed: true };
}

/** The API's answer; async so that a later check may ask the venv itself. */
export async function peersInstalled(): Promise<InstallState> {
  return peersInstallState();
}

/** Synchronous, for deciding at a spec file's top whether its peers describe runs. */
export function peersInstallState(): InstallState {
  const venv = peersVenv();
  const stamp = stampFile(venv);
  return installState({
    venv,
    lockDigest: lockDigest(readFileSync(PEERS_LOCK)),
    stamp: existsSync(stamp) ? readFileSync(stamp, 'utf8') : undefined,
    missingPrograms: ['python', 'mlflow', 'bentoml', 'uvicorn'].filter(
      (program) => !existsSync(venvBin(venv, program)),
    ),
  });
}
