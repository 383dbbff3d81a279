import { interval, num, renderReport } from './report-markdown';
import { at, fixtureResults } from './results.fixture';

describe('renderReport', () => {
  const report = renderReport(fixtureResults());

  it('states the machine and the settings from the results', () => {
    expect(report).toContain('Test CPU 9000');
    expect(report).toContain('23.4 GiB');
    expect(report).toContain('Linux 6.1.0-test');
    expect(report).toContain('λ = 50 req/s open loop');
    expect(report).toContain('N = 1024, r = 8, p = 1');
    expect(report).toContain('--quick');
  });

  it('says full-cost scrypt cannot sustain the logins real expiry needs, with both costs', () => {
    // λ·p_stale = 50.2 · 0.5 = 25.1 logins/s (offered λ), against 16.2 at full cost.
    expect(report).toContain('needs λ·p_stale = 25.1 logins/s');
    expect(report).toContain('at most 16.2 logins/s, fewer than that');
    expect(report).toContain('| production | 32768, 8, 1 | 123 | 16.2 |');
    expect(report).toContain('| experiment | 1024, 8, 1 | 3.21 | 623 |');
  });

  it('tables model against measurement with intervals for both figures', () => {
    expect(report).toContain(
      '| real expiry | 0.50 | 200ms | 0.470 ± 0.030 | 50.2 | 26.5 ± 1.5 | 26.6 |',
    );
    expect(report).toContain('| 2 | 1.00 | 1.20 | 6.00 | 8.40 ± 0.70 | 8.30 | 8.33 | 9.90 |');
    expect(report).toContain('![Fig. 5](experiments/fig5.svg)');
    expect(report).toContain('![Fig. 6](experiments/fig6.svg)');
    expect(report).toContain('![Login rate](experiments/login.svg)');
  });

  it('gives each acceptance verdict, and a reason for each failure', () => {
    expect(report).toContain('1 of 2 comparisons pass');
    expect(report).toContain('0 of 1 comparisons pass');
    // The validator rate is 30 % above the model, outside its interval.
    expect(report).toMatch(/validator: the measured rate is 30\.0 % above/);
    // Mean latency at ρ 0.9 is outside the acceptance: n/a, and no reason is given.
    expect(report).toContain(
      '| 0.90 | 1 | mean latency | end to end | 90.0 ms | – | 300 ± 10 | 233.3 % | n/a |',
    );
    expect(report).toMatch(
      /mean latency at end to end: measured 100\.0 % above the model \(the simulator gives 20\.40/,
    );
  });

  it('lists each validation run with its workload, the sample-size rule and the better predict model', () => {
    expect(report).toContain('after a pilot of 10 batches each run goes on to n ≥ t²S²/δ² batches');
    expect(report).toContain('δ = 5.0 % of the pilot');
    expect(report).toContain(
      '| 1 | 0.50 | 0.48 | 24.4 | 20 | 1.00 | 10.0 | 0.0758 | 0.452 | 10 → 37 → 37 | M/M/c predict (exponential) (M/M/c 50.0 %, M/D/c 100.0 %) |',
    );
  });

  it('states the scaling rule and the servers it gives, apart from what was measured', () => {
    expect(report).toContain('What 10,000 req/s means here');
    expect(report).toContain('c_s = ⌈λ_s / (ρ*·μ_s)⌉');
    expect(report).toContain('| predict | 9997 | 100 | 143 |');
    expect(report).toContain('at most 77.7 req/s');
    // The highest offered rate of any run in the fixture: Fig. 5 (a), 50.2 req/s.
    expect(report).toContain('The highest rate measured directly here was 50.2 req/s (Fig. 5).');
  });

  it('changes with the results it is given (nothing typed in)', () => {
    const results = fixtureResults();
    results.machine.cpuModel = 'Other CPU';
    results.scaling.wrappers = 151;
    const other = renderReport(results);
    expect(other).toContain('Other CPU');
    expect(other).toContain('Wrapper replicas K = 151');
    expect(other).not.toContain('Test CPU 9000');
  });
});

describe('number formats', () => {
  it('keeps three significant digits', () => {
    expect(num(0.012345)).toBe('0.0123');
    expect(num(12345.6)).toBe('12346');
    expect(num(Infinity)).toBe('∞');
    expect(num(NaN)).toBe('–');
  });

  it('writes an interval as mean ± half-width, and says when there was one batch', () => {
    expect(interval(at(26.5, 1.5))).toBe('26.5 ± 1.5');
    expect(interval(at(3, Infinity, 1))).toBe('3.00 (1 batch)');
  });
});
