import { OAuthError } from '../auth-issuer.errors';
import { memoryLoginCounters } from './login-counters.port';
import { LoginThrottle } from './login-throttle.service';

const LIMITS = { maxFailuresPerUser: 3, maxFailuresPerAddress: 5, userCeiling: 8, lockSeconds: 30 };

describe(LoginThrottle.name, () => {
  let sut: LoginThrottle;

  beforeEach(() => {
    sut = new LoginThrottle(LIMITS, memoryLoginCounters);
  });

  const fail = async (user: string, address: string) => (await sut.begin(user, address)).failed();

  it('locks a username from the address that failed, and from there only', async () => {
    for (let i = 0; i < 3; i++) await fail('ada', '10.0.0.1');
    await expect(sut.begin('ada', '10.0.0.1')).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      retryAfterSeconds: 30,
    });
    await expect(sut.begin('bob', '10.0.0.1')).resolves.toBeDefined();
    // The attacker at 10.0.0.1 cannot lock ada out: her own address still gets in.
    await expect(sut.begin('ada', '10.0.0.2')).resolves.toBeDefined();
  });

  it('past the username ceiling, lets only addresses with no recent failure try', async () => {
    for (let i = 0; i < 8; i++) await fail('ada', `10.0.2.${i}`);
    await expect(sut.begin('ada', '10.0.2.9')).resolves.toBeDefined();
    await fail('ada', '10.0.3.1');
    await expect(sut.begin('ada', '10.0.3.1')).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
    await expect(sut.begin('ada', '10.0.3.2')).resolves.toBeDefined();
  });

  it('admits attempts until an address reaches its failure limit', async () => {
    for (let i = 0; i < 5; i++) await fail(`user${i}`, '10.0.0.1');
    await expect(sut.begin('ada', '10.0.0.1')).rejects.toBeInstanceOf(OAuthError);
    await expect(sut.begin('ada', '10.0.0.2')).resolves.toBeDefined();
  });

  it('lets no more parallel attempts through than the limit', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => sut.begin('ada', '10.0.1.1')),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
  });

  it('forgets a username failures after a success', async () => {
    for (let i = 0; i < 2; i++) await fail('ada', '10.0.0.1');
    await (await sut.begin('ada', '10.0.0.1')).succeeded();
    for (let i = 0; i < 2; i++) await fail('ada', '10.0.0.1');
    await expect(sut.begin('ada', '10.0.0.1')).resolves.toBeDefined();
  });

  it('counts the case variants of a username together (LDAP matches them alike)', async () => {
    for (const variant of ['ada', 'Ada', 'ADA']) await fail(variant, '10.0.0.1');
    await expect(sut.begin('aDa', '10.0.0.1')).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
  });

  it('counts nothing for an abandoned attempt', async () => {
    for (let i = 0; i < 10; i++) await (await sut.begin('ada', '10.0.0.1')).abandoned();
    await expect(sut.begin('ada', '10.0.0.1')).resolves.toBeDefined();
  });

  it('admits no one, with 503, while failed logins cannot be counted', async () => {
    const away = new Error('ignite away');
    const broken = new LoginThrottle(LIMITS, {
      limiter: (options) => {
        const limiter = memoryLoginCounters.limiter(options);
        jest.spyOn(limiter, 'penalty').mockRejectedValue(away);
        return limiter;
      },
    });
    await expect(broken.begin('ada', '10.0.0.1')).rejects.toMatchObject({
      code: 'AUTH_UNAVAILABLE',
      retryAfterSeconds: 5,
      cause: away,
    });
  });
});
