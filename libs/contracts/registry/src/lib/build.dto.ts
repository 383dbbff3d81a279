/** The steps of a build, in order; targets skip steps they do not need (process: no image). */
export type BuildStepName = 'validate' | 'store' | 'unpack' | 'dependencies' | 'image' | 'push';

export type BuildStep = {
  name: BuildStepName;
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  startedAt?: string;
  finishedAt?: string;
  message?: string;
};

/**
 * `GET /v1/builds/{id}` answer.
 * @example { id: 'b-3f9a', name: 'iris', version: '1.0.0+6526c66fa490', state: 'succeeded', steps: [...], log: [...] }
 */
export type BuildRecord = {
  id: string;
  name: string;
  version: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
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
