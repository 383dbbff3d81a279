import type {
  BuildProgressEvent,
  BuildRecord,
  BuildStep,
  BuildStepName,
} from '@ml-run/registry-contract';

/** Lines of build output a BuildRecord keeps (the newest). */
export const MAX_LOG_LINES = 500;

// Progress bars redraw one "line" forever: a log line is cut, not the record bloated.
const MAX_LINE_LENGTH = 2000;

export const STEP_ORDER: readonly BuildStepName[] = [
  'validate',
  'store',
  'unpack',
  'dependencies',
  'image',
  'push',
];

/** How a step that did not fail ended, and what its record says. */
export type StepOutcome = { state: 'done' | 'skipped'; message: string };

type Listener = (event: BuildProgressEvent) => void;

/** A build in progress: its record, kept current, and who is watching it (SSE streams). */
export class BuildRun {
  private readonly listeners = new Set<Listener>();
  readonly abort = new AbortController();
  /** True once `done` went out: nothing more will be emitted. */
  closed = false;

  constructor(readonly record: BuildRecord) {}

  stepStarted(name: BuildStepName): void {
    this.updateStep(name, { state: 'running', startedAt: new Date().toISOString() });
  }

  stepEnded(name: BuildStepName, state: 'done' | 'failed' | 'skipped', message?: string): void {
    const step = this.step(name);
    const patch: Partial<BuildStep> = { state, finishedAt: new Date().toISOString() };
    if (step.startedAt === undefined) patch.startedAt = patch.finishedAt;
    if (message !== undefined) patch.message = message;
    this.updateStep(name, patch);
  }

  log(text: string): void {
    const line = text.length > MAX_LINE_LENGTH ? `${text.slice(0, MAX_LINE_LENGTH)}…` : text;
    const { log } = this.record;
    log.push(line);
    if (log.length > MAX_LOG_LINES) log.splice(0, log.length - MAX_LOG_LINES);
    this.emit({ type: 'log', line });
  }

  started(): void {
    this.record.state = 'running';
  }

  finish(state: 'succeeded' | 'failed', error?: BuildRecord['error']): void {
    this.record.state = state;
    this.record.finishedAt = new Date().toISOString();
    if (error !== undefined) this.record.error = error;
  }

  /** Tells the watchers the build is over (after its final record is stored). */
  close(): void {
    this.closed = true;
    this.emit({ type: 'done', build: this.snapshot() });
    this.listeners.clear();
  }

  /** Listens until `done`; returns the function that stops listening. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A copy safe to persist or send while the run goes on. */
  snapshot(): BuildRecord {
    return structuredClone(this.record);
  }

  private step(name: BuildStepName): BuildStep {
    const step = this.record.steps.find((s) => s.name === name);
    if (step === undefined) throw new Error(`build ${this.record.id} has no step ${name}`);
    return step;
  }

  private updateStep(name: BuildStepName, patch: Partial<BuildStep>): void {
    const step = this.step(name);
    Object.assign(step, patch);
    this.emit({ type: 'step', step: { ...step } });
  }

  private emit(event: BuildProgressEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** The progress events that replay a build's steps so far (for a late SSE client). */
export function replaySteps(record: BuildRecord): BuildProgressEvent[] {
  return record.steps
    .filter((step) => step.state !== 'pending')
    .map((step) => ({ type: 'step', step: { ...step } }));
}
