import type { BuildProgressEvent, BuildRecord, BuildStep } from '@ml-run/registry-contract';

/** What the console shows of a build while it runs, from its event stream. */
export type BuildProgress = {
  steps: BuildStep[];
  log: string[];
  /** Set by the `done` event: the stream ends there. */
  done?: BuildRecord;
};

export const NO_PROGRESS: BuildProgress = { steps: [], log: [] };

// Enough lines to follow a dependency install; the full log stays on the builder.
export const MAX_LOG_LINES = 500;

/**
 * The progress after one event. A reconnect replays every step from the start, so a step
 * replaces the one of the same name; `done` carries the build's own last log lines, which
 * replace the ones collected (lines sent while disconnected are then not lost).
 */
export function applyBuildEvent(progress: BuildProgress, event: BuildProgressEvent): BuildProgress {
  switch (event.type) {
    case 'step':
      return { ...progress, steps: upsertStep(progress.steps, event.step) };
    case 'log':
      return { ...progress, log: [...progress.log, event.line].slice(-MAX_LOG_LINES) };
    case 'done':
      return {
        steps: event.build.steps,
        log: event.build.log.length > 0 ? event.build.log : progress.log,
        done: event.build,
      };
  }
}

/** The build's end in one line, as the page says it. */
export function buildOutcome(build: BuildRecord): string {
  if (build.state === 'succeeded') return 'Build succeeded';
  const message = build.error ? `${build.error.message} (${build.error.code})` : 'no reason given';
  return `Build failed: ${message}`;
}

/** Parses one SSE event of `GET /v1/builds/{id}/events`; undefined for other events. */
export function parseBuildEvent(event: string, data: string): BuildProgressEvent | undefined {
  if (event !== 'step' && event !== 'log' && event !== 'done') return undefined;
  const parsed = JSON.parse(data) as BuildProgressEvent;
  return parsed.type === event ? parsed : undefined;
}

function upsertStep(steps: BuildStep[], step: BuildStep): BuildStep[] {
  const at = steps.findIndex((known) => known.name === step.name);
  if (at === -1) return [...steps, step];
  return steps.map((known, index) => (index === at ? step : known));
}
