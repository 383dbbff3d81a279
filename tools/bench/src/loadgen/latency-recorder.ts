import * as hdr from 'hdr-histogram-js';

import type { LatencyStats } from './types';

/** Latencies into an HDR histogram at microsecond resolution (3 significant digits), read in ms. */
export class LatencyRecorder {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: 3,
  });

  record(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  stats(): LatencyStats {
    const h = this.histogram;
    const ms = (us: number) => us / 1000;
    return {
      count: h.totalCount,
      mean: h.totalCount ? ms(h.mean) : 0,
      p50: ms(h.getValueAtPercentile(50)),
      p90: ms(h.getValueAtPercentile(90)),
      p99: ms(h.getValueAtPercentile(99)),
      max: ms(h.maxValue),
    };
  }
}

/** Mean of the values falling in each consecutive batch (the batch-means method's samples). */
export class BatchMeans {
  private readonly sums: number[] = [];
  private readonly counts: number[] = [];

  record(batch: number, value: number): void {
    this.sums[batch] = (this.sums[batch] ?? 0) + value;
    this.counts[batch] = (this.counts[batch] ?? 0) + 1;
  }

  /** One mean per batch up to `batches`; a batch with no values is left out. */
  means(batches: number): number[] {
    const means: number[] = [];
    for (let i = 0; i < batches; i++) {
      const count = this.counts[i] ?? 0;
      if (count > 0) means.push((this.sums[i] ?? 0) / count);
    }
    return means;
  }
}
