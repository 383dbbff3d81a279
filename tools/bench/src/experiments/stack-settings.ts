/** What an experiment stack runs: K replicas of one model behind a router, with auth. */
export type StackSettings = {
  /** K: model-wrapper replicas behind the router. */
  wrappers: number;
  /** The wrappers' L1 cache lifetime (MLRUN_L1_TTL), e.g. `250ms`, `60` (seconds). */
  l1Ttl: string;
  /** The issuer's token lifetime (MLRUN_TOKEN_TTL), e.g. `2s`, `3600`. */
  tokenTtl: string;
  /** The model bundle's directory (relative to the repository root or absolute). */
  model: string;
  /** Worker processes per replica (MLRUN_WORKERS); 1 makes one replica one server. */
  workers: number;
  /** C: test users to create, each with its own password (cheap scrypt). */
  clients: number;
  /**
   * `bearer`: the wrappers check tokens; `off`: they answer anyone (MLRUN_AUTH_MODE=disabled).
   * The router still refuses a predict with no bearer header at all: send any.
   */
  authMode: 'bearer' | 'off';
  /** Extra env per service, applied last (it can override what the stack sets). */
  env?: {
    plane?: Record<string, string>;
    router?: Record<string, string>;
    wrapper?: Record<string, string>;
  };
};

/** The model's name in the route table and in predictUrl. */
export const EXPERIMENT_MODEL_NAME = 'exp';

// The issuer counts a login before checking it (and gives it back on success): many
// clients logging in at once from 127.0.0.1 must not look like a guesser from one address.
export const NO_LOGIN_LOCKS = {
  MLRUN_LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
  MLRUN_LOGIN_USER_CEILING: '100000',
  MLRUN_LOGIN_MAX_FAILURES_PER_USER: '1000',
};

// The services' grammar (@ml-run/config's parseDuration, which the bench may not import):
// a number with ms, s, m, h or d, or a bare whole number of seconds.
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h|d)|\d+)$/;
const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** Seconds in a duration string (`250ms`, `2s`, `1.5m`, `1h`, `1d`, or whole seconds). */
export function durationSeconds(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match)
    throw new Error(
      `duration "${text}" is not a number with a unit ms, s, m, h or d (or whole seconds)`,
    );
  const unit = (match[3] ?? 's') as keyof typeof UNIT_SECONDS;
  return Number.parseFloat(text) * UNIT_SECONDS[unit];
}

/** Throws one sentence per bad field, naming what to fix. */
export function checkStackSettings(settings: StackSettings): void {
  const problems: string[] = [];
  const whole = (name: keyof StackSettings, value: number, max: number) => {
    if (!Number.isInteger(value) || value < 1 || value > max)
      problems.push(`${name} must be a whole number from 1 to ${max}, got ${value}`);
  };
  whole('wrappers', settings.wrappers, 64);
  whole('workers', settings.workers, 256);
  whole('clients', settings.clients, 100_000);
  for (const name of ['l1Ttl', 'tokenTtl'] as const)
    if (!DURATION.test(settings[name].trim()))
      problems.push(`${name} must be a duration like 250ms or 2s, got "${settings[name]}"`);
  if (settings.authMode !== 'bearer' && settings.authMode !== 'off')
    problems.push(`authMode must be bearer or off, got "${String(settings.authMode)}"`);
  if (problems.length > 0) throw new Error(`Fix the stack settings: ${problems.join('; ')}.`);
}

/** The control plane's env: the token lifetime and login limits that never lock out a test. */
export function planeEnv(settings: StackSettings, usersFile: string): Record<string, string> {
  return {
    MLRUN_TOKEN_TTL: settings.tokenTtl,
    MLRUN_USERS_FILE: usersFile,
    ...NO_LOGIN_LOCKS,
    ...settings.env?.plane,
  };
}

/**
 * A wrapper's env besides its wiring to the plane: one server per worker, the L1 lifetime,
 * and no load shedding (an open-loop queue at ρ 0.9 grows past the default 64 in flight;
 * a refused request would leave the queue the model describes).
 */
export function wrapperEnv(settings: StackSettings): Record<string, string> {
  return {
    MLRUN_AUTH_MODE: settings.authMode === 'bearer' ? 'bearer' : 'disabled',
    MLRUN_L1_TTL: settings.l1Ttl,
    MLRUN_WORKERS: String(settings.workers),
    MLRUN_MAX_INFLIGHT: '100000',
    ...settings.env?.wrapper,
  };
}
