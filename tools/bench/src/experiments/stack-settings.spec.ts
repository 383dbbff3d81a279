import {
  checkStackSettings,
  durationSeconds,
  planeEnv,
  wrapperEnv,
  type StackSettings,
} from './stack-settings';

const settings: StackSettings = {
  wrappers: 2,
  l1Ttl: '250ms',
  tokenTtl: '2s',
  model: 'tools/bench/models/exp-sleep-python',
  workers: 1,
  clients: 20,
  authMode: 'bearer',
};

describe('durationSeconds', () => {
  it.each([
    ['250ms', 0.25],
    ['2s', 2],
    ['1.5m', 90],
    ['1h', 3600],
    ['60', 60],
    ['1d', 86_400],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(durationSeconds(text)).toBeCloseTo(seconds, 9);
  });

  it('refuses a duration without a number, naming the units', () => {
    expect(() => durationSeconds('soon')).toThrow(/ms, s, m, h or d/);
    expect(() => durationSeconds('1.5')).toThrow(/whole seconds/);
  });
});

describe('checkStackSettings', () => {
  it('accepts good settings', () => {
    expect(() => checkStackSettings(settings)).not.toThrow();
  });

  it('names every bad field in one error', () => {
    const bad = { ...settings, wrappers: 0, clients: 1.5, l1Ttl: 'x', authMode: 'maybe' };
    expect(() => checkStackSettings(bad as unknown as StackSettings)).toThrow(
      /wrappers must be .*clients must be .*l1Ttl must be a duration.*authMode must be bearer or off/,
    );
  });
});

describe('the env each service gets', () => {
  it('gives the plane the token lifetime, the users file and login limits no test reaches', () => {
    const env = planeEnv(settings, '/tmp/x/users.json');
    expect(env).toMatchObject({ MLRUN_TOKEN_TTL: '2s', MLRUN_USERS_FILE: '/tmp/x/users.json' });
    expect(Number(env['MLRUN_LOGIN_MAX_FAILURES_PER_ADDRESS'])).toBeGreaterThanOrEqual(10_000);
  });

  it('gives each wrapper the L1 lifetime, its workers and no load shedding', () => {
    expect(wrapperEnv(settings)).toMatchObject({
      MLRUN_AUTH_MODE: 'bearer',
      MLRUN_L1_TTL: '250ms',
      MLRUN_WORKERS: '1',
    });
    expect(Number(wrapperEnv(settings)['MLRUN_MAX_INFLIGHT'])).toBeGreaterThan(1000);
  });

  it("maps authMode off to the wrapper's disabled", () => {
    expect(wrapperEnv({ ...settings, authMode: 'off' })['MLRUN_AUTH_MODE']).toBe('disabled');
  });

  it('lets extra env per service override what the stack sets', () => {
    const extra = { ...settings, env: { wrapper: { MLRUN_L1_TTL: '5s' }, plane: { A: 'b' } } };
    expect(wrapperEnv(extra)['MLRUN_L1_TTL']).toBe('5s');
    expect(planeEnv(extra, 'f')['A']).toBe('b');
  });
});
