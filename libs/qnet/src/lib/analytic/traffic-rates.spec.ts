import { QnetError, type OpenNetwork, type Station } from '../network';
import { trafficRates } from './traffic-rates';
import { validateNetwork } from './validate-network';

const station = (name: string, servers = 1, serviceRate = 10): Station => ({
  name,
  servers,
  serviceRate,
});

function errorOf(run: () => unknown): QnetError {
  try {
    run();
  } catch (error) {
    if (error instanceof QnetError) return error;
    throw error;
  }
  throw new Error('expected a QnetError');
}

describe(trafficRates.name, () => {
  it('passes the same rate through a tandem', () => {
    const sut = trafficRates({
      stations: [station('a'), station('b')],
      arrivals: { a: 5 },
      routing: { a: { b: 1 } },
    });

    expect(sut).toEqual({ a: 5, b: 5 });
  });

  it('multiplies a feedback station by 1 / (1 − p)', () => {
    const [gamma, p] = [2, 0.6];

    const sut = trafficRates({
      stations: [station('f')],
      arrivals: { f: gamma },
      routing: { f: { f: p } },
    });

    expect(sut.f).toBeCloseTo(gamma / (1 - p), 12);
  });

  it('splits and merges flows', () => {
    // a → b (0.3) or c (0.7); b → c; c → a with 0.5. By hand: λa = 10 + 0.5·λc, λc = λa,
    // so λa = λc = 20 and λb = 6.
    const sut = trafficRates({
      stations: [station('a'), station('b'), station('c')],
      arrivals: { a: 10 },
      routing: { a: { b: 0.3, c: 0.7 }, b: { c: 1 }, c: { a: 0.5 } },
    });

    expect(sut.a).toBeCloseTo(20, 10);
    expect(sut.b).toBeCloseTo(6, 10);
    expect(sut.c).toBeCloseTo(20, 10);
  });

  it('throws ILL_POSED naming the stations of a loop jobs never leave', () => {
    const sut = errorOf(() =>
      trafficRates({
        stations: [station('in'), station('x'), station('y')],
        arrivals: { in: 1 },
        routing: { in: { x: 0.5 }, x: { y: 1 }, y: { x: 1 } },
      }),
    );

    expect(sut.code).toBe('ILL_POSED');
    expect(sut.message).toContain('"x", "y"');
    expect(sut.message).not.toContain('"in"');
  });

  it('accepts a row that exceeds 1 by rounding only', () => {
    const net: OpenNetwork = {
      stations: [station('a'), station('b'), station('c')],
      arrivals: { a: 1 },
      routing: { a: { b: 0.1 + 0.2, c: 0.7 + 1e-12 } },
    };

    expect(() => trafficRates(net)).not.toThrow();
  });
});

describe(validateNetwork.name, () => {
  const valid: OpenNetwork = {
    stations: [station('a'), station('b')],
    arrivals: { a: 1 },
    routing: { a: { b: 0.5 } },
  };

  it('accepts a valid network', () => {
    expect(() => validateNetwork(valid)).not.toThrow();
  });

  it.each<[string, OpenNetwork, string, string | undefined]>([
    ['no stations', { ...valid, stations: [] }, 'INVALID_NETWORK', undefined],
    [
      'a duplicate name',
      { ...valid, stations: [station('a'), station('a')] },
      'INVALID_NETWORK',
      'a',
    ],
    [
      'zero servers',
      { ...valid, stations: [station('a', 0), station('b')] },
      'INVALID_NETWORK',
      'a',
    ],
    [
      'fractional servers',
      { ...valid, stations: [station('a'), station('b', 1.5)] },
      'INVALID_NETWORK',
      'b',
    ],
    ['an unknown arrival station', { ...valid, arrivals: { z: 1 } }, 'INVALID_NETWORK', 'z'],
    ['an unknown routing source', { ...valid, routing: { z: { a: 1 } } }, 'INVALID_NETWORK', 'z'],
    ['an unknown routing target', { ...valid, routing: { a: { z: 1 } } }, 'INVALID_NETWORK', 'z'],
    ['a negative arrival rate', { ...valid, arrivals: { a: -1 } }, 'NEGATIVE_RATE', 'a'],
    ['a NaN arrival rate', { ...valid, arrivals: { a: Number.NaN } }, 'NEGATIVE_RATE', 'a'],
    ['an infinite arrival rate', { ...valid, arrivals: { a: Infinity } }, 'NEGATIVE_RATE', 'a'],
    [
      'a zero service rate',
      { ...valid, stations: [station('a', 1, 0), station('b')] },
      'NEGATIVE_RATE',
      'a',
    ],
    [
      'a negative service rate',
      { ...valid, stations: [station('a'), station('b', 1, -2)] },
      'NEGATIVE_RATE',
      'b',
    ],
    [
      'an infinite service rate',
      { ...valid, stations: [station('a', 1, Infinity), station('b')] },
      'NEGATIVE_RATE',
      'a',
    ],
    [
      'a negative probability',
      { ...valid, routing: { a: { b: -0.1 } } },
      'INVALID_PROBABILITY',
      'a',
    ],
    ['a probability above 1', { ...valid, routing: { a: { b: 1.2 } } }, 'INVALID_PROBABILITY', 'a'],
    [
      'a NaN probability',
      { ...valid, routing: { a: { b: Number.NaN } } },
      'INVALID_PROBABILITY',
      'a',
    ],
    [
      'a row summing above 1',
      { ...valid, routing: { a: { a: 0.6, b: 0.5 } } },
      'INVALID_PROBABILITY',
      'a',
    ],
  ])('rejects %s', (_, net, code, stationName) => {
    const sut = errorOf(() => validateNetwork(net));

    expect(sut.code).toBe(code);
    expect(sut.station).toBe(stationName);
    // One sentence that ends by saying what to change.
    expect(sut.message).toMatch(/^[A-Z"a-z].*: [a-z].*\.$/);
  });

  it('is applied by trafficRates before solving', () => {
    expect(() => trafficRates({ ...valid, arrivals: { a: -1 } })).toThrow(
      expect.objectContaining({ code: 'NEGATIVE_RATE' }),
    );
  });
});
