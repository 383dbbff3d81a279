// Percentiles from a fixed-bin logarithmic histogram instead of stored samples, so
// memory stays constant however long a run is. Bins are 1% wide (relative) from 1 ns to
// 10^6 s; a percentile is reported at its bin's geometric centre, within 0.5% of the
// exact sample percentile. Values below 1 ns count as 0; above 10^6 s as 10^6 s.
const MIN_VALUE = 1e-9;
const MAX_VALUE = 1e6;
const BIN_GROWTH = 1.01;
const LOG_GROWTH = Math.log(BIN_GROWTH);
const REGULAR_BINS = Math.ceil(Math.log(MAX_VALUE / MIN_VALUE) / LOG_GROWTH);
// Read once: `record` runs per event, and globals are slow to read under Jest's vm context.
const { floor, log } = Math;

export class LogHistogram {
  // Bin 0 holds values below MIN_VALUE; bin i ≥ 1 holds [MIN·g^(i-1), MIN·g^i).
  private readonly bins = new Float64Array(REGULAR_BINS + 1);
  private total = 0;

  get count(): number {
    return this.total;
  }

  record(value: number): void {
    this.total++;
    if (value < MIN_VALUE) {
      this.bins[0]++;
      return;
    }
    const bin = 1 + floor(log(value / MIN_VALUE) / LOG_GROWTH);
    this.bins[bin > REGULAR_BINS ? REGULAR_BINS : bin]++;
  }

  /** The q-quantile (0 < q < 1) of the recorded values; NaN when nothing was recorded. */
  quantile(q: number): number {
    if (this.total === 0) return NaN;
    const rank = q * this.total;
    let cumulative = 0;
    for (let bin = 0; bin < this.bins.length; bin++) {
      cumulative += this.bins[bin];
      if (cumulative >= rank && this.bins[bin] > 0) return LogHistogram.binCentre(bin);
    }
    return MAX_VALUE;
  }

  private static binCentre(bin: number): number {
    if (bin === 0) return 0;
    return Math.min(MIN_VALUE * Math.pow(BIN_GROWTH, bin - 0.5), MAX_VALUE);
  }
}
