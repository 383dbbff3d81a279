import { startFakePlatform, type FakePlatform } from './fake-platform';
import { LoadgenOptionError, runClosedLoop } from './index';

let platform: FakePlatform | undefined;
afterEach(async () => {
  await platform?.close();
  platform = undefined;
});

describe('runClosedLoop', () => {
  it('keeps `connections` requests in flight, each sent when the previous answers', async () => {
    platform = await startFakePlatform({ predictDelayMs: 100, authOff: true });
    const result = await runClosedLoop({
      url: platform.predictUrl,
      body: 'x',
      connections: 2,
      seconds: 1,
    });
    // Two connections, 100 ms per answer: at most ~22 requests in a second, however fast the host.
    expect(result.requests).toBeLessThanOrEqual(24);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.p50).toBeGreaterThanOrEqual(100_000); // µs
    expect(result.failures).toBe(0);
  });

  it('logs its clients in, one token per connection, and counts refusals as failures', async () => {
    platform = await startFakePlatform({});
    const p = platform;
    const result = await runClosedLoop({
      url: p.predictUrl,
      body: 'x',
      connections: 3,
      seconds: 0.3,
      clients: [{ username: 'ada', password: 'a' }],
      issuerUrl: p.url,
    });
    expect(p.logins.get('ada')).toBe(3);
    expect(new Set(p.seen).size).toBe(3);
    expect(result.failures).toBe(0);
    const refused = await runClosedLoop({
      url: p.predictUrl,
      body: 'x',
      connections: 1,
      seconds: 0.2,
      tokens: ['mlr_unknown'],
    });
    expect(refused.failures).toBe(refused.requests);
  });

  it('wants one token per connection', async () => {
    const error = await runClosedLoop({
      url: 'http://127.0.0.1:1/',
      body: '',
      connections: 2,
      seconds: 1,
      tokens: ['a'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadgenOptionError);
    expect((error as LoadgenOptionError).code).toBe('LOADGEN_TOKENS_MISMATCH');
  });
});
