import type { OpenLoopOptions } from './types';

/** Bad generator options: the code names the option, the message says what to fix. */
export class LoadgenOptionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export type OpenLoopSettings = Required<Omit<OpenLoopOptions, 'issuerUrl'>> & { issuerUrl: string };

/** The options with their defaults, or a LoadgenOptionError for the first bad one. */
export function openLoopSettings(options: OpenLoopOptions): OpenLoopSettings {
  const settings: OpenLoopSettings = {
    warmupSeconds: 0,
    seed: 1,
    maxInFlight: 1000,
    timeoutMs: 30_000,
    batchSeconds: 1,
    clients: [],
    onUnauthorized: 'leave',
    staleFraction: 0,
    ...options,
    issuerUrl: options.issuerUrl ?? '',
  };
  for (const name of ['rate', 'seconds', 'maxInFlight', 'timeoutMs', 'batchSeconds'] as const)
    requirePositive(name, settings[name]);
  checkAuth(settings);
  if (!(settings.warmupSeconds >= 0))
    fail('warmupSeconds', `warmupSeconds must be >= 0, got ${settings.warmupSeconds}.`);
  return settings;
}

function fail(option: string, message: string): never {
  throw new LoadgenOptionError(`LOADGEN_BAD_${option.toUpperCase()}`, message);
}

function requirePositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0))
    fail(name, `${name} must be a number > 0, got ${value}.`);
}

function checkAuth(settings: OpenLoopSettings): void {
  if (!(settings.staleFraction >= 0 && settings.staleFraction <= 1))
    fail('staleFraction', `staleFraction must lie in 0..1, got ${settings.staleFraction}.`);
  if (settings.clients.length > 0 && !settings.issuerUrl)
    throw new LoadgenOptionError(
      'LOADGEN_NO_ISSUER',
      'clients log in at the issuer: give issuerUrl.',
    );
  if (settings.clients.length === 0 && settings.staleFraction > 0)
    throw new LoadgenOptionError(
      'LOADGEN_STALE_WITHOUT_CLIENTS',
      'staleFraction needs clients whose tokens it replaces.',
    );
  if (settings.onUnauthorized !== 'leave' && settings.onUnauthorized !== 'retry')
    fail(
      'onUnauthorized',
      `onUnauthorized is 'leave' or 'retry', got ${String(settings.onUnauthorized)}.`,
    );
}
