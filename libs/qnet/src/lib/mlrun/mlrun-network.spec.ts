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
