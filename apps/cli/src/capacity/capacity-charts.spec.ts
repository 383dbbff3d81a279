import {
  DEFAULT_MLRUN_PARAMETERS,
  FIG6_L1_LIFETIMES_SECONDS,
  LOGIN_LIFETIMES_SECONDS,
  solveMlrun,
} from '@ml-run/qnet';

import { fig5Spec, fig6Spec, loginsSpec, utilizationSpec } from './capacity-charts';
import { chartSpec } from './capacity-plot';

type Encoded = {
  encoding: {
    x: { title: string; scale?: { type?: string; domain?: number[] } };
    y: { title: string };
  };
  data: { values: { x: number; y: number; wrappers?: string }[] };
};

const inputs = (parameters = DEFAULT_MLRUN_PARAMETERS) => ({
  parameters,
  analysis: solveMlrun(DEFAULT_MLRUN_PARAMETERS),
  targetUtilization: 0.7,
});

describe(fig5Spec.name, () => {
  it('draws the points as a line over p_stale 0..1, with titled axes in units', () => {
    const sut = fig5Spec(
      [
        { x: 0, y: 100 },
        { x: 1, y: 0 },
      ],
      100,
    ) as unknown as Encoded;
    expect(sut.data.values).toEqual([
      { x: 0, y: 100 },
      { x: 1, y: 0 },
    ]);
    expect(sut.encoding.x.title).toBe('token-aging probability p_stale');
    expect(sut.encoding.x.scale?.domain).toEqual([0, 1]);
    expect(sut.encoding.y.title).toBe('rate reaching predict (req/s)');
  });

  it('is linear in p_stale for the model: λ·(1 − p_stale), 21 points', () => {
    const spec = chartSpec(
      'fig5',
      inputs({ ...DEFAULT_MLRUN_PARAMETERS, rate: 2000 }),
    ) as unknown as Encoded;
    expect(spec.data.values).toHaveLength(21);
    for (const { x, y } of spec.data.values) expect(y).toBeCloseTo(2000 * (1 - x), 6);
  });
});

describe(fig6Spec.name, () => {
  it('puts L1 lifetimes from 0.1 s to 60 s on a log axis, one line per K = 1, 2, 4', () => {
    const spec = chartSpec('fig6', inputs()) as unknown as Encoded & {
      encoding: { color: { field: string } };
    };

    const lines = ['K = 1', 'K = 2', 'K = 4'];
    expect([...new Set(spec.data.values.map((v) => v.wrappers))]).toEqual(lines);
    for (const line of lines) {
      const xs = spec.data.values.filter((v) => v.wrappers === line).map((v) => v.x);
      expect(xs).toEqual([...FIG6_L1_LIFETIMES_SECONDS]);
    }
    expect(spec.encoding.x.scale).toMatchObject({ type: 'log', domain: [0.1, 60] });
    expect(spec.encoding.x.title).toContain('L1 cache lifetime');
    expect(spec.encoding.y.title).toBe('token requests to the validator (req/s)');
    expect(spec.encoding.color.field).toBe('wrappers');
  });

  it('grows with K and falls with the lifetime (the validator rate, not the login rate)', () => {
    const spec = chartSpec('fig6', inputs()) as unknown as Encoded;
    const line = (k: string) => spec.data.values.filter((v) => v.wrappers === k).map((v) => v.y);

    const [one, two, four] = [line('K = 1'), line('K = 2'), line('K = 4')];
    one.forEach((y, i) => {
      expect(two[i]).toBeGreaterThan(y);
      expect(four[i]).toBeGreaterThan(two[i]);
      if (i > 0) expect(y).toBeLessThan(one[i - 1]);
    });
  });
});

describe(loginsSpec.name, () => {
  it('puts token lifetimes from 1 min to 24 h on a log axis', () => {
    const spec = chartSpec('logins', inputs()) as unknown as Encoded;
    expect(spec.data.values.map((p) => p.x)).toEqual([...LOGIN_LIFETIMES_SECONDS]);
    expect(spec.encoding.x.scale).toMatchObject({ type: 'log', domain: [60, 86400] });
    expect(spec.encoding.x.title).toContain('token lifetime');
    expect(spec.encoding.y.title).toBe('login rate at the issuer (logins/s)');
    // λ·clients / (clients + λ·T): falls as the lifetime grows.
    const { rate, clients } = DEFAULT_MLRUN_PARAMETERS;
    for (const { x, y } of spec.data.values) {
      expect(y).toBeCloseTo((rate * clients) / (clients + rate * x), 9);
    }
  });
});

describe(utilizationSpec.name, () => {
  const stations = [
    { station: 'router', utilization: 0.5 },
    { station: 'predict', utilization: 1.25 },
  ];

  it('has one bar per station in %, red over the target, and a rule at the target', () => {
    const sut = utilizationSpec(stations, 0.7) as unknown as {
      layer: { data: { values: Record<string, unknown>[] }; mark: { type: string } }[];
    };
    const [bars, rule] = sut.layer;
    expect(bars.mark.type).toBe('bar');
    expect(bars.data.values).toEqual([
      { station: 'router', percent: 50, over: false },
      { station: 'predict', percent: 125, over: true },
    ]);
    expect(rule.mark.type).toBe('rule');
    expect(rule.data.values).toEqual([{ target: 70 }]);
  });

  it('keeps the axis at least 0..100 %, wider when a station is overloaded', () => {
    const domain = (spec: unknown) =>
      (spec as { layer: { encoding: { y: { scale: { domain: number[] } } } }[] }).layer[0].encoding
        .y.scale.domain;
    expect(domain(utilizationSpec([stations[0]], 0.7))).toEqual([0, 100]);
    expect(domain(utilizationSpec(stations, 0.7))).toEqual([0, 125]);
  });
});
