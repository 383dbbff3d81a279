import { homedir } from 'node:os';
import path from 'node:path';

import { REPO_ROOT } from '@ml-run/process-testing';

/** tools/bench/peers: install.sh, the lock, and the python that serves the example. */
export const PEERS_SOURCE_DIR = path.join(REPO_ROOT, 'tools/bench/peers');
export const PEERS_LOCK = path.join(PEERS_SOURCE_DIR, 'requirements.lock');
/** The model both peers serve, and the reference their answers are checked against. */
export const IRIS_EXAMPLE_DIR = path.join(REPO_ROOT, 'examples/iris-python');
export const PEERS_INSTALL_COMMAND = 'tools/bench/peers/install.sh';

/** Where install.sh puts the venv: under the services directory, as the services do. */
export function peersVenv(env: NodeJS.ProcessEnv = process.env): string {
  const services = env['MLRUN_SERVICES_DIR'] || path.join(homedir(), '.ml-run/services');
  return path.join(services, 'bench-peers/venv');
}

/** install.sh writes the sha256 of the lock it installed here, last. */
export function stampFile(venv: string): string {
  return path.join(venv, '.lock-sha256');
}

export function venvBin(venv: string, program: string): string {
  return path.join(venv, 'bin', program);
}
