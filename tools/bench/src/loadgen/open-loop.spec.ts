import { startFakePlatform, type FakePlatform } from './fake-platform';
import { LoadgenOptionError, runOpenLoop, type OpenLoopOptions } from './index';

const CLIENTS = [
  { username: 'ada', password: 'a' },
  { username: 'bob', password: 'b' },
  { username: 'cyd', password: 'c' },
];

let platform: FakePlatform | undefined;
afterEach(async () => {
  await platform?.close();
  platform = undefined;
});

async function withPlatform(settings: Parameters<typeof startFakePlatform>[0]) {
  platform = await startFakePlatform(settings);
  return platform;
}

function authed(p: FakePlatform, more: Partial<OpenLoopOptions> = {}): OpenLoopOptions {
  return {
    url: p.predictUrl,
    body: 'x',
    rate: 100,
    seconds: 1,
    clients: CLIENTS,
    issuerUrl: p.url,
    ...more,
  };
}

const totalLogins = (p: FakePlatform) => [...p.logins.values()].reduce((a, b) => a + b, 0);

describe('runOpenLoop: schedule and latency', () => {
  it('sends on schedule whatever the answers do, latency counted from the scheduled time', async () => {
    const p = await withPlatform({ predictDelayMs: 300, authOff: true });
    const result = await runOpenLoop({ url: p.predictUrl, body: 'x', rate: 200, seconds: 1 });
    // A generator waiting on answers would have sent a handful in one second, not ~200.
    expect(result.counts.scheduled).toBeGreaterThan(150);
    expect(result.counts.sent).toBe(result.counts.scheduled);
    expect(result.counts.byStatus).toEqual({ '200': result.counts.scheduled });
    expect(result.latency.count).toBe(result.counts.scheduled);
    expect(result.latency.p50).toBeGreaterThanOrEqual(300);
    expect(result.batchMeans).toHaveLength(1);
    expect(result.batchMeans[0]).toBeGreaterThanOrEqual(300);
    expect(p.seen.every((token) => token === '')).toBe(true);
  });

  it("counts a stall of the generator itself in the stalled requests' latency", async () => {
    const p = await withPlatform({ authOff: true });
    // The event loop blocked for 400 ms, 300 ms into the run: the requests due meanwhile
    // go out late, and their latency must include the wait (no coordinated omission).
    const stall = setTimeout(() => {
      const until = performance.now() + 400;
      while (performance.now() < until);
    }, 300);
    const result = await runOpenLoop({ url: p.predictUrl, body: 'x', rate: 100, seconds: 1 });
    clearTimeout(stall);
    expect(result.counts.sent).toBe(result.counts.scheduled);
    expect(result.lateness.max).toBeGreaterThanOrEqual(300);
    expect(result.latency.max).toBeGreaterThanOrEqual(300);
    // About 40 requests fell in the stall: at least 10% of them waited a good while.
    expect(result.latency.p90).toBeGreaterThanOrEqual(50);
  });

  it('drops what exceeds maxInFlight and says so', async () => {
    const p = await withPlatform({ predictDelayMs: 500, authOff: true });
    const options = { url: p.predictUrl, body: 'x', rate: 100, seconds: 1, maxInFlight: 5 };
    const result = await runOpenLoop(options);
    expect(result.counts.dropped).toBeGreaterThan(0);
    expect(result.counts.sent + result.counts.dropped).toBe(result.counts.scheduled);
    expect(p.seen.length).toBe(result.counts.sent);
  });

  it('sends the warm-up but counts only the window', async () => {
    const p = await withPlatform({ authOff: true });
    const before = Date.now();
    const result = await runOpenLoop({
      url: p.predictUrl,
      body: 'x',
      rate: 100,
      seconds: 1,
      warmupSeconds: 1,
    });
    expect(result.startedAt).toBeGreaterThanOrEqual(before);
    expect(p.seen.length).toBeGreaterThan(result.counts.sent);
    expect(result.perSecond[0]?.measured).toBe(false);
    expect(result.perSecond[1]?.measured).toBe(true);
    const sentPerSecond = result.perSecond.reduce((sum, s) => sum + s.sent, 0);
    expect(sentPerSecond).toBe(p.seen.length);
  });
});

describe('runOpenLoop: tokens', () => {
  it('logs each client in once, and not again while no request is refused', async () => {
    const p = await withPlatform({});
    const result = await runOpenLoop(authed(p));
    expect(result.counts.logins).toBe(0);
    expect([...p.logins.values()]).toEqual([1, 1, 1]);
    expect(result.counts.byStatus).toEqual({ '200': result.counts.sent });
    expect(p.seen.every((token) => token.startsWith('mlr_fake'))).toBe(true);
  });

  it("'leave': an expired token ends its requests as 401 and costs one login per client", async () => {
    const p = await withPlatform({ predictDelayMs: 5, loginDelayMs: 200 });
    const expire = setTimeout(() => p.expireAll(), 400);
    const result = await runOpenLoop(authed(p, { onUnauthorized: 'leave' }));
    clearTimeout(expire);
    expect(result.counts.logins).toBe(3);
    expect([...p.logins.values()]).toEqual([2, 2, 2]);
    expect(result.counts.unauthorized).toBeGreaterThanOrEqual(3);
    expect(result.counts.byStatus['401']).toBe(result.counts.unauthorized);
    expect(result.counts.retries).toBe(0);
    // Requests that arrived during a 200 ms login waited for it.
    expect(result.latency.max).toBeGreaterThanOrEqual(100);
  });

  it('logs in once per refused token, also when its refusals go on arriving after the login', async () => {
    // Answers take longer than a login: refusals of the old token keep coming after the
    // new one is in hand, and must not start more logins.
    const p = await withPlatform({ predictDelayMs: 150, loginDelayMs: 30 });
    const expire = setTimeout(() => p.expireAll(), 300);
    const result = await runOpenLoop(authed(p, { rate: 150 }));
    clearTimeout(expire);
    expect(result.counts.unauthorized).toBeGreaterThan(6);
    expect(result.counts.logins).toBe(3);
    expect([...p.logins.values()]).toEqual([2, 2, 2]);
  });

  it("'retry': the refused request is sent again with the new token", async () => {
    const p = await withPlatform({ predictDelayMs: 5, loginDelayMs: 200 });
    const expire = setTimeout(() => p.expireAll(), 400);
    const result = await runOpenLoop(authed(p, { onUnauthorized: 'retry' }));
    clearTimeout(expire);
    expect(result.counts.logins).toBe(3);
    expect(result.counts.unauthorized).toBe(0);
    expect(result.counts.retries).toBeGreaterThanOrEqual(3);
    expect(result.counts.byStatus).toEqual({ '200': result.counts.sent });
    // 401, then the 200 ms login, then the retry.
    expect(result.latency.max).toBeGreaterThanOrEqual(200);
    expect(p.seen.length).toBe(result.counts.sent + result.counts.retries);
  });

  it('staleFraction: injected unknown tokens are refused and start the client’s login', async () => {
    const p = await withPlatform({});
    const result = await runOpenLoop(authed(p, { rate: 300, staleFraction: 0.2, seed: 7 }));
    const stale = p.seen.filter((token) => !token.startsWith('mlr_fake'));
    expect(stale).toHaveLength(result.counts.staleSent);
    expect(stale.every((token) => /^mlr_[A-Za-z0-9_-]{43}$/.test(token))).toBe(true);
    expect(new Set(stale).size).toBe(stale.length);
    // Binomial(n, 0.2): 5 standard deviations either side.
    const n = result.counts.sent;
    const sd = Math.sqrt(n * 0.2 * 0.8);
    expect(Math.abs(result.counts.staleSent - 0.2 * n)).toBeLessThan(5 * sd);
    expect(result.counts.unauthorized).toBe(result.counts.staleSent);
    expect(result.counts.logins).toBeGreaterThan(0);
    expect(result.counts.logins).toBeLessThanOrEqual(result.counts.staleSent);
    expect(totalLogins(p)).toBe(CLIENTS.length + result.counts.logins);
  });
});

describe('runOpenLoop: options', () => {
  it.each([
    [{ rate: 0 }, 'LOADGEN_BAD_RATE'],
    [{ seconds: -1 }, 'LOADGEN_BAD_SECONDS'],
    [{ staleFraction: 1.5, clients: CLIENTS, issuerUrl: 'http://x' }, 'LOADGEN_BAD_STALEFRACTION'],
    [{ staleFraction: 0.1 }, 'LOADGEN_STALE_WITHOUT_CLIENTS'],
    [{ clients: CLIENTS }, 'LOADGEN_NO_ISSUER'],
  ])('refuses %j with %s', async (bad, code) => {
    const options = { url: 'http://127.0.0.1:1/', body: '', rate: 1, seconds: 1, ...bad };
    const error = await runOpenLoop(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadgenOptionError);
    expect((error as LoadgenOptionError).code).toBe(code);
  });
});
