import type { BuildProgressEvent } from '@ml-run/registry-contract';

import { BuildRun, MAX_LOG_LINES, replaySteps } from './build-run';

const record = () => ({
  id: 'b-1',
  name: 'iris',
  version: '1.0.0+aaaaaaaaaaaa',
  state: 'queued' as const,
  steps: [
    { name: 'validate' as const, state: 'done' as const },
    { name: 'store' as const, state: 'pending' as const },
  ],
  log: [],
  createdAt: 'now',
});

describe(BuildRun.name, () => {
  it('keeps the last 500 log lines', () => {
    const sut = new BuildRun(record());
    for (let i = 0; i < MAX_LOG_LINES + 20; i++) sut.log(`line ${i}`);
    expect(sut.record.log).toHaveLength(MAX_LOG_LINES);
    expect(sut.record.log[0]).toBe('line 20');
  });

  it('tells watchers of steps and lines, then done, then nothing more', () => {
    const sut = new BuildRun(record());
    const seen: BuildProgressEvent['type'][] = [];
    sut.subscribe((event) => seen.push(event.type));
    sut.stepStarted('store');
    sut.log('x');
    sut.stepEnded('store', 'done');
    sut.finish('succeeded');
    sut.close();
    sut.log('late');
    expect(seen).toEqual(['step', 'log', 'step', 'done']);
    expect(sut.closed).toBe(true);
  });

  it('replays only the steps that began', () => {
    expect(replaySteps(record())).toEqual([
      { type: 'step', step: { name: 'validate', state: 'done' } },
    ]);
  });
});
