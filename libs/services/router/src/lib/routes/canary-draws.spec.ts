import { pickWeighted } from '@ml-run/registry-contract';

import { evenCanaryDraws } from './canary-draws';

describe(evenCanaryDraws.name, () => {
  const split = {
    versions: [
      { version: '1', weight: 90 },
      { version: '2', weight: 10 },
    ],
  };

  function count(draws: number[]): Map<string | undefined, number> {
    const counts = new Map<string | undefined, number>();
    for (const draw of draws) {
      const version = pickWeighted(split, draw);
      counts.set(version, (counts.get(version) ?? 0) + 1);
    }
    return counts;
  }

  it.each([0, 0.1234, 0.5, 0.999])(
    'splits 200 requests 90/10 within two requests of the weights (start %s)',
    (start) => {
      const sut = evenCanaryDraws(() => start);
      const counts = count(Array.from({ length: 200 }, () => sut('iris/stable')));
      expect(Math.abs((counts.get('2') ?? 0) - 20)).toBeLessThanOrEqual(2);
      expect((counts.get('1') ?? 0) + (counts.get('2') ?? 0)).toBe(200);
    },
  );

  it('keeps each alias even while requests to aliases interleave', () => {
    const sut = evenCanaryDraws(() => 0.3);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 300; i++) {
      a.push(sut('iris/stable'));
      if (i % 3 === 0) b.push(sut('fraud/stable'));
    }
    expect(Math.abs((count(a).get('2') ?? 0) - 30)).toBeLessThanOrEqual(2);
    expect(Math.abs((count(b).get('2') ?? 0) - 10)).toBeLessThanOrEqual(2);
  });

  it('draws in [0, 1)', () => {
    const sut = evenCanaryDraws(() => 0.999999);
    for (let i = 0; i < 1000; i++) {
      const draw = sut('m/a');
      expect(draw).toBeGreaterThanOrEqual(0);
      expect(draw).toBeLessThan(1);
    }
  });
});
