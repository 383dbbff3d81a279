import { parseSamples } from './prometheus-text';
import { NO_TRAFFIC, trafficCounters } from './replica-traffic';

// As prom-client writes a replica's page (default labels, HELP/TYPE lines, other series).
const PAGE = `# HELP mlrun_predictions_total Predictions by HTTP status
# TYPE mlrun_predictions_total counter
mlrun_predictions_total{model="iris",version="1.0.0",status="200",service="model-wrapper"} 180
mlrun_predictions_total{model="iris",version="1.0.0",status="422",service="model-wrapper"} 3
mlrun_predictions_by_caller_total{sub="alice",status="200",service="model-wrapper"} 999
# TYPE mlrun_prediction_duration_seconds histogram
mlrun_prediction_duration_seconds_bucket{le="0.001",model="iris",version="1.0.0"} 50
mlrun_prediction_duration_seconds_bucket{le="0.005",model="iris",version="1.0.0"} 170
mlrun_prediction_duration_seconds_bucket{le="+Inf",model="iris",version="1.0.0"} 183
mlrun_prediction_duration_seconds_sum{model="iris",version="1.0.0"} 0.5125
mlrun_prediction_duration_seconds_count{model="iris",version="1.0.0"} 183
mlrun_auth_l1_lookups_total{result="hit"} 175
mlrun_auth_l1_lookups_total{result="miss"} 8
mlrun_auth_validator_calls_total{result="active"} 7
mlrun_auth_validator_calls_total{result="inactive"} 1
mlrun_auth_validator_call_duration_seconds_bucket{le="0.001"} 4
process_cpu_seconds_total 1.5
`;

describe('trafficCounters', () => {
  it('reads predictions by status, the latency histogram, L1 lookups and validator calls', () => {
    expect(trafficCounters(PAGE)).toEqual({
      predictions: [
        { status: 200, count: 180 },
        { status: 422, count: 3 },
      ],
      latency: {
        buckets: [
          { le: 0.001, count: 50 },
          { le: 0.005, count: 170 },
        ],
        sum: 0.5125,
        count: 183,
      },
      l1: { hits: 175, misses: 8 },
      validatorCalls: [
        { outcome: 'active', count: 7 },
        { outcome: 'inactive', count: 1 },
      ],
    });
  });

  it('answers zeros for a page without the series (a replica that served nothing yet)', () => {
    expect(trafficCounters('# nothing here\nprocess_cpu_seconds_total 1\n')).toEqual(NO_TRAFFIC);
  });
});

describe('parseSamples', () => {
  it('keeps escaped quotes and commas inside label values, and reads +Inf and exponents', () => {
    const text = 'm{a="x\\"y,z",b="2"} 1.5e3\nm{a="q"} +Inf\nm{a="bad"} not-a-number\n';

    expect(parseSamples(text, ['m'])).toEqual([
      { name: 'm', labels: { a: 'x"y,z', b: '2' }, value: 1500 },
      { name: 'm', labels: { a: 'q' }, value: Infinity },
    ]);
  });
});
