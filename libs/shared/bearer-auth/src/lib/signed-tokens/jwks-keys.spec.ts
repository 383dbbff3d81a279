import { Logger } from '@nestjs/common';

import type { TokenJwks } from '@ml-run/token-contract';

import { testKey } from '../../testing/signed-token-test-keys';
import { JwksKeys } from './jwks-keys';

const k1 = testKey('k1');
const k2 = testKey('k2');

// An issuer whose JWKS reads can be held open, to see who shares one.
function setup() {
  const issuer = { jwks: { keys: [k1.jwk] } as TokenJwks, fetches: 0, down: false, held: false };
  let release = (): void => undefined;
  const clock = { now: 0 };
  const sut = new JwksKeys({
    now: () => clock.now,
    fetch: async () => {
      issuer.fetches++;
      if (issuer.held) await new Promise<void>((resolve) => (release = resolve));
      if (issuer.down) throw new Error('connection refused');
      return structuredClone(issuer.jwks);
    },
    minRefreshIntervalMs: 10_000,
    maxAgeMs: 300_000,
  });
  return { sut, issuer, clock, release: () => release() };
}

describe(JwksKeys.name, () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  it('shares one JWKS read between concurrent lookups of unknown kids', async () => {
    const { sut, issuer, release } = setup();
    issuer.held = true;
    const lookups = [sut.unknownKey('k1'), sut.unknownKey('k1'), sut.unknownKey('k2')];
    expect(issuer.fetches).toBe(1);
    release();
    const [a, b, c] = await Promise.all(lookups);
    expect(issuer.fetches).toBe(1);
    expect(a?.equals(b ?? a)).toBe(true);
    expect(a).toBeDefined();
    expect(c).toBeUndefined();
  });

  it('keeps serving the keys it holds while a read runs, and after one fails', async () => {
    const { sut, issuer, clock, release } = setup();
    await sut.unknownKey('k1');
    issuer.held = true;
    issuer.down = true;
    clock.now += 300_000;
    // Due: this lookup starts a read in the background and still answers at once.
    expect(sut.key('k1')).toBeDefined();
    expect(issuer.fetches).toBe(2);
    release();
    // A kid the failed read might have brought: its waiters see the failure...
    clock.now += 10_000;
    issuer.held = false;
    await expect(sut.unknownKey('k2')).rejects.toThrow('connection refused');
    // ...while the held keys stay.
    expect(sut.key('k1')).toBeDefined();
  });

  it('does not read again at once after a first read failed, then does', async () => {
    const { sut, issuer, clock } = setup();
    issuer.down = true;
    await expect(sut.unknownKey('k1')).rejects.toThrow('connection refused');
    await expect(sut.unknownKey('k1')).resolves.toBeUndefined();
    expect(issuer.fetches).toBe(1);
    issuer.down = false;
    clock.now += 10_000;
    await expect(sut.unknownKey('k1')).resolves.toBeDefined();
    expect(issuer.fetches).toBe(2);
  });

  it('drops a key the issuer no longer publishes at the next read', async () => {
    const { sut, issuer, clock } = setup();
    issuer.jwks.keys = [k1.jwk, k2.jwk];
    await sut.unknownKey('k1');
    expect(sut.key('k2')).toBeDefined();
    issuer.jwks.keys = [k1.jwk];
    clock.now += 10_000;
    await expect(sut.unknownKey('k2')).resolves.toBeUndefined();
    expect(sut.key('k2')).toBeUndefined();
  });
});
