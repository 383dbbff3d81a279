/** The steps of a build, in order; targets skip steps they do not need (process: no image). */
export type BuildStepName = 'validate' | 'store' | 'unpack' | 'dependencies' | 'image' | 'push';

/** Where one step of a build is. */
export const BUILD_STEP_STATES = ['pending', 'running', 'done', 'failed', 'skipped'] as const;
export type BuildStepState = (typeof BUILD_STEP_STATES)[number];

export type BuildStep = {
  name: BuildStepName;
  state: BuildStepState;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
};

/** Where a build is: queued → running → succeeded | failed. */
export const BUILD_STATES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type BuildState = (typeof BUILD_STATES)[number];

/**
 * `GET /v1/builds/{id}` answer.
 * @example { id: 'b-3f9a', name: 'iris', version: '1.0.0+6526c66fa490', state: 'succeeded', steps: [...], log: [...] }
 */
export type BuildRecord = {
  id: string;
  name: string;
  version: string;
  state: BuildState;
  steps: BuildStep[];
  /** The last lines of the build output (dependency installs, image build). */
  log: string[];
  createdAt: string;
  finishedAt?: string;
  error?: { code: string; message: string };
};

/**
 * One server-sent event of `GET /v1/builds/{id}/events` (the event name is `type`).
 * The stream ends after `done`.
 */
export type BuildProgressEvent =
  | { type: 'step'; step: BuildStep }
  | { type: 'log'; line: string }
  | { type: 'done'; build: BuildRecord };
