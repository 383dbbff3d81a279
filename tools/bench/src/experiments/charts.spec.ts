import { fig5Spec, fig6Spec, loginRateSpec, logSpace } from './charts';
import { fixtureResults } from './results.fixture';

type Layer = {
  data: { values: Record<string, number | string>[] };
  mark: { type: string };
  encoding: { x: { scale?: { type?: string } } };
};
const layers = (spec: unknown) => (spec as { layer: Layer[] }).layer;
const ofMark = (spec: unknown, type: string) => layers(spec).filter((l) => l.mark.type === type);

describe('fig5Spec', () => {
  const spec = fig5Spec(fixtureResults().fig5);

  it('draws the model λ(1 − p) at the offered λ as a line over the measured range', () => {
    const [line] = ofMark(spec, 'line');
    const offered = (50.2 + 49.9 + 50) / 3;
    expect(line?.data.values).toHaveLength(2);
    expect(line?.data.values[0]).toMatchObject({ series: 'model λ(1 − p_stale)', x: 0 });
    expect(line?.data.values[0]?.['y']).toBeCloseTo(offered, 10);
    expect(line?.data.values[1]?.['x']).toBe(0.52);
    expect(line?.data.values[1]?.['y']).toBeCloseTo(offered * 0.48, 10);
  });

  it('puts each measured point at (measured p_stale, measured predict rate) with its intervals', () => {
    const [points] = ofMark(spec, 'point');
    const first = points?.data.values[0] ?? {};
    expect(first).toMatchObject({ series: 'measured: real token expiry', x: 0.47, y: 26.5 });
    expect(first).toMatchObject({ yLow: 25, yHigh: 28 });
    expect(first['xLow']).toBeCloseTo(0.44, 10);
    expect(first['xHigh']).toBeCloseTo(0.5, 10);
    // A one-batch interval is infinitely wide: drawn as no bar, not as an endless one.
    expect(points?.data.values[2]).toMatchObject({ x: 0.52, xLow: 0.52, xHigh: 0.52 });
    expect(ofMark(spec, 'rule')).toHaveLength(2);
  });
});

describe('fig6Spec', () => {
  const result = fixtureResults().fig6;
  const lines = [1, 2].map((k) => ({
    series: `K = ${k}`,
    points: [
      { x: 0.1, y: 20 / k },
      { x: 60, y: 0.1 / k },
    ],
  }));
  const spec = fig6Spec(result, lines);

  it('has a log lifetime axis spanning the model and the points', () => {
    const [line] = ofMark(spec, 'line');
    expect(line?.encoding.x.scale).toMatchObject({ type: 'log', domain: [0.1 / 1.25, 60 * 1.25] });
  });

  it('colours the model lines and the measured points by K', () => {
    const [line] = ofMark(spec, 'line');
    const [points] = ofMark(spec, 'point');
    expect(new Set(line?.data.values.map((v) => v['series']))).toEqual(new Set(['K = 1', 'K = 2']));
    expect(points?.data.values.map((v) => v['series'])).toEqual(['K = 1', 'K = 2']);
    expect(points?.data.values[1]).toMatchObject({ x: 1, y: 8.4, yLow: 8.4 - 0.7 });
  });
});

describe('loginRateSpec', () => {
  it('names itself the login rate, not the validator load', () => {
    const spec = loginRateSpec({
      clients: 10,
      rate: 50,
      line: { series: 'model', points: [{ x: 0.1, y: 33 }] },
      points: [{ series: 'measured', x: 0.2, y: 25, yLow: 24, yHigh: 26 }],
    }) as unknown as { title: { text: string } };
    expect(spec.title.text).toMatch(/^Login/);
    expect(ofMark(spec, 'point')[0]?.data.values).toHaveLength(1);
  });
});

describe('logSpace', () => {
  it('spaces values evenly on a log scale, ends included', () => {
    const values = logSpace(0.1, 100, 4);
    [0.1, 1, 10, 100].forEach((v, i) => expect(values[i]).toBeCloseTo(v, 10));
  });
});
