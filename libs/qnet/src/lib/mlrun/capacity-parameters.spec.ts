import { QnetError } from '../network';
import { capacityParametersSchema, parseCapacityParameters } from './capacity-parameters';
import { DEFAULT_MLRUN_PARAMETERS } from './mlrun-parameters';

function messageOf(json: unknown): string {
  try {
    parseCapacityParameters(json);
  } catch (error) {
    if (error instanceof QnetError && error.code === 'INVALID_NETWORK') return error.message;
    throw error;
  }
  throw new Error('expected INVALID_NETWORK');
}

describe(parseCapacityParameters.name, () => {
  const file = {
    ...DEFAULT_MLRUN_PARAMETERS,
    measured: { source: 'tools/bench wrapper-auth', at: '2025-11-28T16:00:00Z' },
  };

  it('returns the model parameters of a valid file, without the measurement note', () => {
    expect(parseCapacityParameters(file)).toEqual(DEFAULT_MLRUN_PARAMETERS);
    expect(capacityParametersSchema.parse(file).measured?.source).toBe('tools/bench wrapper-auth');
  });

  it('accepts the JSON text as well as the parsed value', () => {
    expect(parseCapacityParameters(JSON.stringify({ ...file, pMiss: 0.3 })).pMiss).toBe(0.3);
  });

  it('parses the model options and the calibration detail of `measured`', () => {
    const calibrated = {
      ...file,
      staleRequests: 'retry',
      predictServiceScv: 0,
      validatorQueues: 'split',
      measured: {
        ...file.measured,
        machine: '2 cores, quiet',
        method: 'CPU seconds per completion',
        stations: {
          issuer: { cpuSecondsPerCompletion: 0.09, completions: 200 },
          'token-check': { lightLoadLatencySeconds: 0.00002 },
        },
      },
    };

    expect(parseCapacityParameters(calibrated)).toEqual({
      ...DEFAULT_MLRUN_PARAMETERS,
      staleRequests: 'retry',
      predictServiceScv: 0,
      validatorQueues: 'split',
    });
    expect(capacityParametersSchema.parse(calibrated).measured?.stations?.issuer).toEqual({
      cpuSecondsPerCompletion: 0.09,
      completions: 200,
    });
  });

  it.each([
    ['staleRequests', { ...file, staleRequests: 'drop' }],
    ['predictServiceScv', { ...file, predictServiceScv: -1 }],
    ['validatorQueues', { ...file, validatorQueues: 'pooled' }],
    [
      'measured.stations.router.completions',
      { ...file, measured: { ...file.measured, stations: { router: { completions: 1.5 } } } },
    ],
    [
      'measured.stations.router',
      { ...file, measured: { ...file.measured, stations: { router: { cpuSeconds: 1 } } } },
    ],
    ['measured.stations', { ...file, measured: { ...file.measured, stations: { gateway: {} } } }],
    ['measured.machine', { ...file, measured: { ...file.measured, machine: '' } }],
    ['servers.wrappers', { ...file, servers: { ...file.servers, wrappers: 1.5 } }],
    ['servers.issuers', { ...file, servers: { ...file.servers, issuers: 0 } }],
    ['serviceRates.predict', { ...file, serviceRates: { ...file.serviceRates, predict: -1 } }],
    ['serviceRates.router', { ...file, serviceRates: { ...file.serviceRates, router: '9' } }],
    ['rate', { ...file, rate: -5 }],
    ['rate', { ...file, rate: 0 }],
    ['clients', { ...file, clients: 2.5 }],
    ['pStale', { ...file, pStale: 1.2 }],
    ['measured.at', { ...file, measured: { source: 'bench', at: 'yesterday' } }],
    ['clients', { ...file, clients: undefined }],
  ])('names the bad field %s', (path, json) => {
    expect(messageOf(json)).toContain(`"${path}"`);
  });

  it('rejects unknown keys, so a misspelt field cannot fall back silently', () => {
    expect(messageOf({ ...file, tokenLifetime: 60 })).toContain('tokenLifetime');
    expect(messageOf({ ...file, servers: { ...file.servers, wrapper: 2 } })).toContain('wrapper');
  });

  it('rejects text that is not JSON', () => {
    expect(messageOf('{ "rate": ')).toMatch(/not valid JSON/);
  });
});
