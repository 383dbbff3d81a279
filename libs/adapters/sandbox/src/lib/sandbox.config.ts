import { enumVar } from '@ml-run/config';

import { SANDBOX_MODES } from './sandbox.types';

/** MLRUN_SANDBOX (docs/security.md, "Hostile models"). */
export const sandboxConfigShape = {
  /**
   * How model processes are isolated: `auto` (what the machine allows, warned when less
   * than full), `full` (bwrap namespaces + the mlrun-model uid, else refuse), `uid` (the uid
   * change only, for containers without namespaces), `off` (none: an admin's explicit choice).
   */
  MLRUN_SANDBOX: enumVar(SANDBOX_MODES, 'auto'),
};
