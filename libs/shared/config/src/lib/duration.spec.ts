import { ConfigError } from './config.errors';
import { formatDuration, parseDuration } from './duration';
import { durationVar } from './env-fields';
import { loadConfig } from './load-config';

describe(parseDuration.name, () => {
  it.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['0.3s', 300],
    ['1.005s', 1005],
    ['2m', 120_000],
    ['0.5m', 30_000],
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['60', 60_000],
    ['0', 0],
    ['0ms', 0],
    [' 300ms ', 300],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    '',
    'ms',
    '1.5',
    '-1s',
    '+1s',
    '1 s',
    '1S',
    '1sec',
    '1.s',
    '.5s',
    '1.0005s',
    '0.5ms',
    '1e3ms',
    '1y',
    '99999999999999999999d',
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe(formatDuration.name, () => {
  it.each([
    [0, '0s'],
    [100, '100ms'],
    [1500, '1.5s'],
    [120_000, '2m'],
    [3_600_000, '1h'],
    [2_592_000_000, '30d'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

describe(durationVar.name, () => {
  const shape = {
    MLRUN_TTL: durationVar({ min: 100, max: 2_592_000_000, default: 60_000 }),
    MLRUN_WAIT: durationVar({ min: 0, max: 1000 }),
  };
  const load = (env: Record<string, string>) => loadConfig(shape, { MLRUN_WAIT: '0', ...env });

  it('gives milliseconds, and its default when unset', () => {
    expect(load({})).toEqual({ MLRUN_TTL: 60_000, MLRUN_WAIT: 0 });
    expect(load({ MLRUN_TTL: '300ms', MLRUN_WAIT: '1s' })).toEqual({
      MLRUN_TTL: 300,
      MLRUN_WAIT: 1000,
    });
  });

  it('reads a bare whole number as seconds, as before units', () => {
    expect(load({ MLRUN_TTL: '3600' }).MLRUN_TTL).toBe(3_600_000);
  });

  it.each(['soon', '99ms', '31d', '1.5'])(
    'refuses %j naming the variable, the forms and the range',
    (text) => {
      expect(() => load({ MLRUN_TTL: text })).toThrow(
        new ConfigError([
          {
            variable: 'MLRUN_TTL',
            message:
              'must be a duration such as 250ms, 1.5s, 2m or a whole number of seconds, ' +
              `between 100ms and 30d (got "${text}")`,
          },
        ]),
      );
    },
  );

  it('says when a variable without a default is missing', () => {
    expect(() => loadConfig(shape, {})).toThrow('MLRUN_WAIT is required but not set');
  });
});
