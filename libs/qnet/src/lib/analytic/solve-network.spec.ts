import { QnetError, type OpenNetwork } from '../network';
import { analyzeNetwork, solveNetwork } from './solve-network';

// a: M/M/1 with μ = 10; b: M/M/2 with μ = 4; 5 jobs/s enter a, then go to b, then leave.
const tandem: OpenNetwork = {
  stations: [
    { name: 'a', servers: 1, serviceRate: 10 },
    { name: 'b', servers: 2, serviceRate: 4 },
  ],
  arrivals: { a: 5 },
  routing: { a: { b: 1 } },
};

describe(solveNetwork.name, () => {
  it('solves a two-station tandem by hand', () => {
    // a: W = 1/(μ − λ) = 0.2. b: ρ = 5/8, M/M/2 has C = 2ρ²/(1 + ρ), Wq = C/(2μ − λ).
    const rhoB = 5 / 8;
    const waitB = (2 * rhoB ** 2) / (1 + rhoB) / (8 - 5);
    const sojournB = waitB + 1 / 4;

    const sut = solveNetwork(tandem);

    expect(sut.stations.map((s) => s.name)).toEqual(['a', 'b']);
    expect(sut.stations[0].meanSojourn).toBeCloseTo(0.2, 12);
    expect(sut.stations[1].utilization).toBeCloseTo(rhoB, 12);
    expect(sut.stations[1].meanWait).toBeCloseTo(waitB, 12);
    expect(sut.meanResponseTime).toBeCloseTo(0.2 + sojournB, 12);
    expect(sut.externalRate).toBe(5);
    expect(sut.bottleneck).toBe('b');
    expect(sut.maxExternalRate).toBeCloseTo(8, 12); // b saturates at λ = 2·4
  });

  it('solves a feedback loop by hand', () => {
    // λ = γ/(1 − p) = 2/0.4 = 5, visits 2.5, W = 1/(10 − 5) = 0.2, response 2.5·0.2 = 0.5.
    const sut = solveNetwork({
      stations: [{ name: 'f', servers: 1, serviceRate: 10 }],
      arrivals: { f: 2 },
      routing: { f: { f: 0.6 } },
    });

    expect(sut.stations[0].arrivalRate).toBeCloseTo(5, 12);
    expect(sut.stations[0].visits).toBeCloseTo(2.5, 12);
    expect(sut.meanResponseTime).toBeCloseTo(0.5, 12);
    expect(sut.maxExternalRate).toBeCloseTo(4, 12); // γ/(1 − p) = μ
  });

  it("obeys Little's law for the whole network", () => {
    const sut = solveNetwork({
      stations: [
        { name: 'x', servers: 3, serviceRate: 7 },
        { name: 'y', servers: 1, serviceRate: 20 },
        { name: 'z', servers: 2, serviceRate: 5 },
      ],
      arrivals: { x: 6, y: 2 },
      routing: { x: { y: 0.5, z: 0.3 }, y: { x: 0.1, z: 0.2 }, z: { x: 0.25 } },
    });

    expect(sut.meanInSystem).toBeCloseTo(sut.externalRate * sut.meanResponseTime, 10);
    for (const s of sut.stations) {
      expect(s.meanInSystem).toBeCloseTo(s.arrivalRate * s.meanSojourn, 10);
      expect(s.visits).toBeCloseTo(s.arrivalRate / 8, 12);
    }
  });

  it('throws UNSTABLE naming the station, its ρ and the sustainable rate', () => {
    const overloaded = { ...tandem, arrivals: { a: 10 } }; // b: ρ = 10/8

    let error: unknown;
    try {
      solveNetwork(overloaded);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(QnetError);
    expect(error).toMatchObject({ code: 'UNSTABLE', station: 'b' });
    expect((error as QnetError).message).toContain('"b"');
    expect((error as QnetError).message).toContain('1.25');
    expect((error as QnetError).message).toMatch(/below 8\/s/);
  });

  it('throws INVALID_NETWORK without external arrivals', () => {
    expect(() => solveNetwork({ ...tandem, arrivals: {} })).toThrow(
      expect.objectContaining({ code: 'INVALID_NETWORK' }),
    );
  });
});

describe(analyzeNetwork.name, () => {
  it('reports an overloaded network with infinite waits instead of throwing', () => {
    const sut = analyzeNetwork({ ...tandem, arrivals: { a: 10 } });

    expect(sut.stations[1].utilization).toBeCloseTo(1.25, 12);
    expect(sut.stations[1].meanSojourn).toBe(Number.POSITIVE_INFINITY);
    expect(sut.stations[0].meanSojourn).toBe(Number.POSITIVE_INFINITY); // ρ_a = 1
    expect(sut.meanResponseTime).toBe(Number.POSITIVE_INFINITY);
    expect(sut.maxExternalRate).toBeCloseTo(8, 12);
  });
});
