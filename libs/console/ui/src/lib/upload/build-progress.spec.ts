import type { BuildRecord, BuildStep } from '@ml-run/registry-contract';

import {
  applyBuildEvent,
  buildOutcome,
  MAX_LOG_LINES,
  NO_PROGRESS,
  parseBuildEvent,
  type BuildProgress,
} from './build-progress';

const step = (name: BuildStep['name'], state: BuildStep['state']): BuildStep => ({ name, state });

function build(overrides: Partial<BuildRecord>): BuildRecord {
  return {
    id: 'b-1',
    name: 'iris',
    version: '1.0.0+6526c66fa490',
    state: 'succeeded',
    steps: [step('validate', 'done')],
    log: [],
    createdAt: '2026-12-06T00:00:00.000Z',
    ...overrides,
  };
}

describe(applyBuildEvent.name, () => {
  it('adds steps in order and replaces a step replayed after a reconnect', () => {
    let progress: BuildProgress = NO_PROGRESS;
    progress = applyBuildEvent(progress, { type: 'step', step: step('validate', 'running') });
    progress = applyBuildEvent(progress, { type: 'step', step: step('validate', 'done') });
    progress = applyBuildEvent(progress, { type: 'step', step: step('store', 'running') });
    progress = applyBuildEvent(progress, { type: 'step', step: step('validate', 'done') });
    expect(progress.steps).toEqual([step('validate', 'done'), step('store', 'running')]);
  });

  it('keeps the last log lines only', () => {
    let progress: BuildProgress = NO_PROGRESS;
    for (let n = 0; n < MAX_LOG_LINES + 3; n++) {
      progress = applyBuildEvent(progress, { type: 'log', line: `line ${n}` });
    }
    expect(progress.log).toHaveLength(MAX_LOG_LINES);
    expect(progress.log[0]).toBe('line 3');
  });

  it("ends with the build's own steps and log", () => {
    const started = applyBuildEvent(NO_PROGRESS, { type: 'log', line: 'partial' });
    const finished = build({ log: ['pip install', 'done'] });
    const done = applyBuildEvent(started, { type: 'done', build: finished });
    expect(done).toEqual({ steps: finished.steps, log: ['pip install', 'done'], done: finished });
  });

  it('keeps the collected log when the build record has none', () => {
    const started = applyBuildEvent(NO_PROGRESS, { type: 'log', line: 'partial' });
    expect(applyBuildEvent(started, { type: 'done', build: build({}) }).log).toEqual(['partial']);
  });
});

describe(buildOutcome.name, () => {
  it('says success, or the failure with its code', () => {
    expect(buildOutcome(build({}))).toBe('Build succeeded');
    expect(
      buildOutcome(
        build({ state: 'failed', error: { code: 'DEPENDENCIES_FAILED', message: 'pip failed' } }),
      ),
    ).toBe('Build failed: pip failed (DEPENDENCIES_FAILED)');
  });
});

describe(parseBuildEvent.name, () => {
  it('parses the three event kinds and ignores others', () => {
    expect(parseBuildEvent('log', JSON.stringify({ type: 'log', line: 'x' }))).toEqual({
      type: 'log',
      line: 'x',
    });
    expect(parseBuildEvent('message', '{}')).toBeUndefined();
    expect(parseBuildEvent('step', JSON.stringify({ type: 'log', line: 'x' }))).toBeUndefined();
  });
});
