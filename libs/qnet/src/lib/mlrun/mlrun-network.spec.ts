import { trafficRates } from '../analytic/traffic-rates';
import {
  analyzeMlrun,
  MLRUN_STATIONS,
  mlrunNetwork,
  mlrunProbabilities,
  solveMlrun,
} from './mlrun-network';
import { DEFAULT_MLRUN_PARAMETERS, type MlrunParameters } from './mlrun-parameters';
import { l1MissProbability, staleProbability } from './token-probabilities';

const params: MlrunParameters = {
  ...DEFAULT_MLRUN_PARAMETERS,
  servers: { routers: 2, wrappers: 3, validators: 4, issuers: 5 },
};

describe(mlrunNetwork.name, () => {
  it('has the five stations in request order, predict and token check sharing K', () => {
    const sut = mlrunNetwork(params);

    expect(sut.stations.map((s) => s.name)).toEqual([...MLRUN_STATIONS]);
    expect(sut.stations.map((s) => s.servers)).toEqual([2, 3, 4, 5, 3]);
    expect(sut.stations.map((s) => s.serviceRate)).toEqual([20_000, 50_000, 5_000, 10, 2_000]);
    expect(sut.arrivals).toEqual({ router: 1000 });
  });

  it('routes λ to each station as computed by hand for given p_stale and p_miss', () => {
    // λ = 1000, p_stale = 0.1, p_miss = 0.2: the 100 aged tokens and 900·0.2 = 180 misses
    // reach the validator (280); the aged 100 go on to the issuer; predict gets 900 (the
    // validator's 180 rejoin the 720 cache hits).
    const sut = trafficRates(mlrunNetwork({ ...params, pStale: 0.1, pMiss: 0.2 }));

    expect(sut.router).toBeCloseTo(1000, 9);
    expect(sut['token-check']).toBeCloseTo(1000, 9);
    expect(sut.issuer).toBeCloseTo(100, 9);
    expect(sut.validator).toBeCloseTo(280, 9);
    expect(sut.predict).toBeCloseTo(900, 9);
  });

  it('sends the retry back to the router with staleRequests retry: predict sees λ', () => {
    // p_stale = 0.1 per token check: the router and token check see 1000/0.9 = 1111.1, of
    // which 111.1 are stale (they log in and come back); predict gets the 1000.
    const sut = trafficRates(
      mlrunNetwork({ ...params, pStale: 0.1, pMiss: 0.2, staleRequests: 'retry' }),
    );

    expect(sut.router).toBeCloseTo(1000 / 0.9, 9);
    expect(sut['token-check']).toBeCloseTo(1000 / 0.9, 9);
    expect(sut.issuer).toBeCloseTo(1000 / 0.9 - 1000, 9);
    expect(sut.validator).toBeCloseTo((1000 / 0.9) * (0.1 + 0.9 * 0.2), 9);
    expect(sut.predict).toBeCloseTo(1000, 9);
  });

  it('has the same login rate, λ·C/(C + λ·T), whether stale requests leave or retry', () => {
    const short = { ...params, rate: 50, clients: 100, tokenLifetimeSeconds: 10 };
    const loginRate = (50 * 100) / (100 + 50 * 10);

    expect(trafficRates(mlrunNetwork(short)).issuer).toBeCloseTo(loginRate, 9);
    expect(trafficRates(mlrunNetwork({ ...short, staleRequests: 'retry' })).issuer).toBeCloseTo(
      loginRate,
      9,
    );
  });

  it('rejects an unknown staleRequests and a certain stale retry', () => {
    const unknown = { ...params, staleRequests: 'drop' } as unknown as MlrunParameters;
    expect(() => mlrunNetwork(unknown)).toThrow(
      expect.objectContaining({ code: 'INVALID_NETWORK' }),
    );
    expect(() => mlrunNetwork({ ...params, pStale: 1, staleRequests: 'retry' })).toThrow(
      expect.objectContaining({ code: 'INVALID_PROBABILITY' }),
    );
  });

  it('passes predictServiceScv and validatorQueues on to the stations', () => {
    const sut = mlrunNetwork({ ...params, predictServiceScv: 0, validatorQueues: 'split' });

    const station = (name: string) => sut.stations.find((s) => s.name === name);
    expect(station('predict')?.serviceScv).toBe(0);
    expect(station('validator')?.queues).toBe('split');
    expect(mlrunNetwork(params).stations.every((s) => s.serviceScv === undefined)).toBe(true);
  });

  it('predicts each station: λ_i, mean sojourn, and p99 where it is exact', () => {
    const sut = solveMlrun({ ...params, predictServiceScv: 0 });

    const router = sut.stations.find((s) => s.name === 'router');
    // M/M/2 router: λ = 1000, μ = 20,000; the p99 lies beyond the mean.
    expect(router?.p99Sojourn).toBeGreaterThan(router?.meanSojourn ?? Infinity);
    expect(sut.stations.find((s) => s.name === 'predict')?.p99Sojourn).toBeNull();
  });

  it('derives p_stale and p_miss from the workload unless overridden', () => {
    const { rate, clients, tokenLifetimeSeconds, l1TtlSeconds } = params;

    const sut = mlrunProbabilities(params);

    expect(sut.pStale).toBe(staleProbability({ rate, clients, tokenLifetimeSeconds }));
    expect(sut.pMiss).toBe(
      l1MissProbability({ rate, clients, wrappers: 3, l1TtlSeconds, tokenLifetimeSeconds }),
    );
    expect(mlrunProbabilities({ ...params, pMiss: 0.5 }).pMiss).toBe(0.5);
  });

  it('rejects override probabilities outside [0, 1]', () => {
    expect(() => mlrunNetwork({ ...params, pStale: 1.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_PROBABILITY' }),
    );
    expect(() => mlrunNetwork({ ...params, pMiss: -0.1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_PROBABILITY' }),
    );
  });

  it('rejects zero servers and non-positive service rates', () => {
    const noWrappers = { ...params, servers: { ...params.servers, wrappers: 0 } };
    const slowIssuer = { ...params, serviceRates: { ...params.serviceRates, issuer: 0 } };

    expect(() => mlrunNetwork(noWrappers)).toThrow(
      expect.objectContaining({ code: 'INVALID_NETWORK' }),
    );
    expect(() => solveMlrun(slowIssuer)).toThrow(
      expect.objectContaining({ code: 'NEGATIVE_RATE', station: 'issuer' }),
    );
  });
});

describe(solveMlrun.name, () => {
  it('finds predict as the bottleneck of the default deployment and its largest λ', () => {
    const sut = solveMlrun(DEFAULT_MLRUN_PARAMETERS);

    // predict: ρ = λ·(1 − p_stale)/μ, so λ_max = μ / (1 − p_stale) = 2000 / (1 − p_stale).
    expect(sut.bottleneck).toBe('predict');
    expect(sut.maxExternalRate).toBeCloseTo(2000 / (1 - sut.pStale), 6);
    expect(sut.meanInSystem).toBeCloseTo(sut.externalRate * sut.meanResponseTime, 9);
  });

  it('throws UNSTABLE beyond the sustainable rate; analyzeMlrun reports it instead', () => {
    const overloaded = { ...DEFAULT_MLRUN_PARAMETERS, rate: 5000 };

    expect(() => solveMlrun(overloaded)).toThrow(
      expect.objectContaining({ code: 'UNSTABLE', station: 'predict' }),
    );
    expect(analyzeMlrun(overloaded).meanResponseTime).toBe(Number.POSITIVE_INFINITY);
  });
});
