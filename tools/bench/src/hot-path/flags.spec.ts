import { FlagError, parseFlags } from './flags';

describe('parseFlags', () => {
  it('defaults to 3 rounds of 10 s at 50 connections, peers on', () => {
    expect(parseFlags([])).toMatchObject({
      quick: false,
      rounds: 3,
      duration: 10,
      warmup: 2,
      connections: 50,
      peers: true,
      profile: false,
      out: 'dist/bench/hot-path',
    });
  });

  it('makes --quick one short round, and explicit flags still win', () => {
    expect(parseFlags(['--quick'])).toMatchObject({ rounds: 1, duration: 2, warmup: 1 });
    expect(parseFlags(['--quick', '--rounds', '2'])).toMatchObject({ rounds: 2, duration: 2 });
  });

  it('reads --no-peers, --profile, --cases and the baseline builds', () => {
    expect(
      parseFlags(['--no-peers', '--profile', '--cases', 'echo', '--baseline', 'router-before']),
    ).toMatchObject({
      peers: false,
      profile: true,
      cases: 'echo',
      baselineRouter: 'router-before',
    });
  });

  it('refuses a count that is not a positive integer', () => {
    expect(() => parseFlags(['--rounds', '0'])).toThrow(FlagError);
    expect(() => parseFlags(['--connections', 'many'])).toThrow(/--connections many/);
  });

  it('refuses an unknown flag as a flag error', () => {
    expect(() => parseFlags(['--rouds', '2'])).toThrow(FlagError);
  });
});
