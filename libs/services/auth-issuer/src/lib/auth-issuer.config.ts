import {
  intVar,
  optionalSecretVar,
  portVar,
  serverConfigShape,
  stringVar,
  type ConfigOf,
} from '@ml-run/config';
import { usersFilePath } from '@ml-run/user-directory';

/** The auth-issuer's MLRUN_ variables (DESIGN.md §3, §8). */
export const authIssuerConfigShape = {
  ...serverConfigShape,
  MLRUN_PORT: portVar(8091),
  /** Lifetime of issued tokens, in seconds (1 minute to 30 days). */
  MLRUN_TOKEN_TTL: intVar({ min: 1, max: 2_592_000, default: 3600 }),
  /** Where ML-RUN keeps local state; `~` is the user's home directory. */
  MLRUN_DATA_DIR: stringVar({ default: '~/.ml-run' }),
  /** The local users file; default `<MLRUN_DATA_DIR>/users.json`. */
  MLRUN_USERS_FILE: stringVar().optional(),
  /** When set, user `admin` is created with this password if it does not exist yet. */
  MLRUN_ADMIN_PASSWORD: optionalSecretVar(),
  /** Failed logins for one username before it is locked for MLRUN_LOGIN_LOCK_SECONDS. */
  MLRUN_LOGIN_MAX_FAILURES_PER_USER: intVar({ min: 1, max: 1000, default: 5 }),
  /** Failed logins from one client address before it is locked. */
  MLRUN_LOGIN_MAX_FAILURES_PER_ADDRESS: intVar({ min: 1, max: 100_000, default: 20 }),
  /** How long a lock lasts, and the window in which failures are counted. */
  MLRUN_LOGIN_LOCK_SECONDS: intVar({ min: 1, max: 86_400, default: 900 }),
};

export type AuthIssuerConfig = ConfigOf<typeof authIssuerConfigShape>;

/** The users file the config names, `~` expanded. */
export function usersFileOf(config: AuthIssuerConfig): string {
  return usersFilePath(config.MLRUN_DATA_DIR, config.MLRUN_USERS_FILE);
}
