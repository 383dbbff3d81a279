import { judge } from './acceptance';
import type { ValidationComparison } from './results';
import { at } from './results.fixture';

const rate = (model: number, measured: number, halfWidth: number): ValidationComparison => ({
  utilization: 0.5,
  wrappers: 1,
  kind: 'rate',
  station: 'validator',
  unit: 'req/s',
  model,
  measured: at(measured, halfWidth),
});
const context = { cores: 2 };

describe('judge', () => {
  it('passes a rate within 5 % and fails one beyond it', () => {
    expect(judge(rate(100, 104.9, 1), context)).toMatchObject({ applies: true, pass: true });
    const failed = judge(rate(100, 106, 1), context);
    expect(failed.pass).toBe(false);
    expect(failed.relativeError).toBeCloseTo(0.06, 10);
    expect(failed.reason).toMatch(/6\.0 % above .*undercount what reached validator/);
  });

  it('blames the run length when the interval alone is wider than the tolerance', () => {
    expect(judge(rate(100, 110, 20), context).reason).toMatch(
      /interval alone is ±18\.2 % .* too short .* over 5 batch means/,
    );
  });

  it('holds mean latency to 15 % only at utilization 0.7 or below', () => {
    const latency = (utilization: number): ValidationComparison => ({
      ...rate(10, 13, 0.1),
      kind: 'mean latency',
      station: 'end to end',
      unit: 'ms',
      utilization,
    });
    expect(judge(latency(0.7), context)).toMatchObject({ applies: true, pass: false });
    expect(judge(latency(0.7), context).reason).toMatch(/share 2 cores/);
    expect(judge(latency(0.9), context)).toMatchObject({ applies: false });
    expect(judge({ ...latency(0.3), kind: 'p99 latency' }, context).applies).toBe(false);
  });
});

describe('judge, rates the model puts under 1/s', () => {
  it('shows them but does not judge them', () => {
    expect(judge(rate(0.2, 0.5, 0.1), context)).toMatchObject({ applies: false });
  });
});
