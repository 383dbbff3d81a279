import { optionalSecretVar, stringVar } from '@ml-run/config';

/** The variables the CLI reads (main.ts loads them once). */
export const cliConfigShape = {
  /** Where ML-RUN keeps local state; the users file defaults to `<dir>/users.json`. */
  MLRUN_DATA_DIR: stringVar({ default: '~/.ml-run' }),
  MLRUN_USERS_FILE: stringVar().optional(),
  /** A password for `users add|passwd` without a prompt (scripts, CI). */
  MLRUN_PASSWORD: optionalSecretVar(),
};
