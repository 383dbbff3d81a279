import { predictionResultsContract } from '../testing/prediction-results-contract-suite';
import { MemoryPredictionResults } from './memory-prediction-results';

describe(MemoryPredictionResults.name, () => {
  predictionResultsContract('as PredictionResults', () =>
    Promise.resolve({
      open: (clock) => new MemoryPredictionResults({ now: clock.now }),
      dispose: () => Promise.resolve(),
    }),
  );

  it('sweeps expired records away', async () => {
    let now = 0;
    const sut = new MemoryPredictionResults({ now: () => now });
    const base = { model: 'iris', subject: 'ada', status: 'pending' as const, acceptedAt: '' };
    await sut.accept({ ...base, id: 'a', expiresAt: new Date(10).toISOString() });
    await sut.accept({ ...base, id: 'b', expiresAt: new Date(100).toISOString() });
    now = 50;
    expect(sut.sweep()).toBe(1);
    expect(await sut.get('b')).toMatchObject({ id: 'b' });
    await sut.close();
  });
});
