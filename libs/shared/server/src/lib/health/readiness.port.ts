/** What a service reports on /readyz; `details` is shown to operators as is. */
export type Readiness = { ready: boolean; details?: Record<string, unknown> };

export interface ReadinessCheck {
  readiness(): Readiness;
}

/** Provide this token in a service module to drive /readyz; without it, ready = up. */
export const READINESS_CHECK = Symbol('READINESS_CHECK');
