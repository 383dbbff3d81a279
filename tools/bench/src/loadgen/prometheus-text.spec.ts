import { parsePrometheusText, sumOf } from './index';

const TEXT = `# HELP mlrun_predictions_total Predictions answered
# TYPE mlrun_predictions_total counter
mlrun_predictions_total{status="200",model="echo"} 41
mlrun_predictions_total{model="echo",status="401"} 3

# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 1.25 1700000000000
mlrun_weird{path="/a b,{c}",quote="say \\"hi\\"",back="x\\\\y",nl="1\\n2"} 7
# TYPE mlrun_latency_seconds histogram
mlrun_latency_seconds_bucket{le="0.1"} 5
mlrun_latency_seconds_bucket{le="+Inf"} 9
mlrun_latency_seconds_sum 0.75
mlrun_latency_seconds_count 9
mlrun_gauge{ a = "1" } -2e-3
mlrun_inf +Inf
not a sample line
`;

describe('parsePrometheusText', () => {
  const samples = parsePrometheusText(TEXT);

  it('keys samples by name and sorted labels, whatever order they were written in', () => {
    expect(samples['mlrun_predictions_total{model="echo",status="200"}']).toBe(41);
    expect(samples['mlrun_predictions_total{model="echo",status="401"}']).toBe(3);
  });

  it('reads bare names, ignores timestamps, comments and lines that are not samples', () => {
    expect(samples['process_cpu_seconds_total']).toBe(1.25);
    expect(Object.keys(samples).some((key) => key.startsWith('#') || key.startsWith('not'))).toBe(
      false,
    );
  });

  it('keeps label values with spaces, commas, braces and escapes', () => {
    expect(
      samples['mlrun_weird{back="x\\\\y",nl="1\\n2",path="/a b,{c}",quote="say \\"hi\\""}'],
    ).toBe(7);
  });

  it("reads histograms' buckets, _sum and _count, exponents, spaces and infinities", () => {
    expect(samples['mlrun_latency_seconds_bucket{le="+Inf"}']).toBe(9);
    expect(samples['mlrun_latency_seconds_sum']).toBe(0.75);
    expect(samples['mlrun_latency_seconds_count']).toBe(9);
    expect(samples['mlrun_gauge{a="1"}']).toBe(-0.002);
    expect(samples['mlrun_inf']).toBe(Infinity);
  });
});

describe('sumOf', () => {
  const samples = parsePrometheusText(TEXT);

  it('sums every label set of a name, not the names it prefixes', () => {
    expect(sumOf(samples, 'mlrun_predictions_total')).toBe(44);
    expect(sumOf(samples, 'mlrun_latency_seconds')).toBe(0);
    expect(sumOf(samples, 'mlrun_latency_seconds_count')).toBe(9);
  });

  it('takes a full key or a pattern', () => {
    expect(sumOf(samples, 'mlrun_predictions_total{model="echo",status="401"}')).toBe(3);
    expect(sumOf(samples, /^mlrun_predictions_total\{.*status="200"/)).toBe(41);
  });
});
