// The behaviour every PredictionResults shares, as Jest cases: the memory store's unit spec
// and the Ignite store's int-spec both run them. Test-only: imported by specs, never by code.
import { randomUUID } from 'node:crypto';

import type {
  PredictionOutcome,
  PredictionRecord,
  PredictionResults,
} from '@ml-run/prediction-contract';

/** A store for one test, on a clock the test moves; dispose removes what it wrote. */
export type PredictionResultsBacking = {
  open(clock: { now: () => number }): PredictionResults;
  dispose(): Promise<void>;
};

const T0 = Date.parse('2026-12-06T10:00:00.000Z');
const TTL_MS = 60_000;

export function pendingRecord(overrides: Partial<PredictionRecord> = {}): PredictionRecord {
  return {
    id: randomUUID(),
    model: 'iris',
    subject: 'ada',
    status: 'pending',
    acceptedAt: new Date(T0).toISOString(),
    expiresAt: new Date(T0 + TTL_MS).toISOString(),
    ...overrides,
  };
}

export function outcomeFor(
  record: PredictionRecord,
  overrides: Partial<PredictionOutcome> = {},
): PredictionOutcome {
  return {
    id: record.id,
    model: record.model,
    version: '1.0.0+aaaaaaaaaaaa',
    status: 'succeeded',
    output: '{"class":"setosa"}',
    completedAt: new Date(T0 + 1000).toISOString(),
    ...overrides,
  };
}

export function predictionResultsContract(
  title: string,
  backingOf: () => Promise<PredictionResultsBacking>,
): void {
  describe(title, () => {
    let backing: PredictionResultsBacking;
    let sut: PredictionResults;
    const clock = { ms: T0, now: () => clock.ms };

    beforeEach(async () => {
      clock.ms = T0;
      backing = await backingOf();
      sut = backing.open(clock);
    });
    afterEach(async () => {
      await sut.close();
      await backing.dispose();
    });

    it('reads back an accepted record as pending', async () => {
      const record = pendingRecord();
      await sut.accept(record);
      expect(await sut.get(record.id)).toEqual(record);
    });

    it('knows no id it never accepted', async () => {
      expect(await sut.get(randomUUID())).toBeUndefined();
    });

    it('settles a pending record with the outcome', async () => {
      const record = pendingRecord();
      await sut.accept(record);
      const outcome = outcomeFor(record);
      const settled = { ...record, status: 'succeeded', version: outcome.version };
      expect(await sut.settle(outcome)).toEqual({
        kind: 'settled',
        record: { ...settled, output: outcome.output, completedAt: outcome.completedAt },
      });
      expect(await sut.get(record.id)).toMatchObject({
        status: 'succeeded',
        output: outcome.output,
      });
    });

    it('keeps the first outcome and calls the later ones duplicates', async () => {
      const record = pendingRecord();
      await sut.accept(record);
      await sut.settle(outcomeFor(record, { output: 'first' }));
      const failed = { code: 'MODEL_ERROR', message: 'boom' };
      expect(await sut.settle(outcomeFor(record, { status: 'failed', error: failed }))).toEqual({
        kind: 'duplicate',
      });
      expect(await sut.get(record.id)).toMatchObject({ status: 'succeeded', output: 'first' });
    });

    it('settles once when many outcomes for one id race', async () => {
      const record = pendingRecord();
      await sut.accept(record);
      const outcomes = Array.from({ length: 12 }, (_, i) => outcomeFor(record, { output: `${i}` }));
      const results = await Promise.all(outcomes.map((o) => sut.settle(o)));
      expect(results.filter((r) => r.kind === 'settled')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'duplicate')).toHaveLength(11);
      const winner = results.find((r) => r.kind === 'settled');
      expect(await sut.get(record.id)).toEqual(winner?.kind === 'settled' && winner.record);
    });

    it('finds no record for an outcome of an unknown id', async () => {
      expect(await sut.settle(outcomeFor(pendingRecord()))).toEqual({ kind: 'unknown' });
    });

    it('refuses an outcome naming another model than the record', async () => {
      const record = pendingRecord();
      await sut.accept(record);
      expect(await sut.settle(outcomeFor(record, { model: 'mallory' }))).toEqual({
        kind: 'unknown',
      });
      expect(await sut.get(record.id)).toMatchObject({ status: 'pending' });
    });

    it('forgets a record once it expires, and settles it no more', async () => {
      const record = pendingRecord();
      await sut.accept(record);
      clock.ms = T0 + TTL_MS;
      expect(await sut.get(record.id)).toBeUndefined();
      expect(await sut.settle(outcomeFor(record))).toEqual({ kind: 'unknown' });
    });

    it('refuses a second record with the same id', async () => {
      const record = pendingRecord();
      await sut.accept(record);
      await sut.settle(outcomeFor(record));
      await expect(sut.accept(record)).rejects.toThrow(/already exists/);
      expect(await sut.get(record.id)).toMatchObject({ status: 'succeeded' });
    });
  });
}
