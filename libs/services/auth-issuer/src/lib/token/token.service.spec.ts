import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';

import { AuthErrorCode } from '@ml-run/token-contract';
import { MemoryTokenStore } from '@ml-run/token-store';

import { OAuthError } from '../auth-issuer.errors';
import { TokenSigner } from '../jwt/token-signer';
import { TokenMetrics } from './token.metrics';
import { TokenService } from './token.service';

const ADA = { username: 'ada', groups: ['publishers'], scopes: ['models:write:*', 'predict:*'] };

describe(TokenService.name, () => {
  let store: MemoryTokenStore;
  let registry: Registry;
  let sut: TokenService;

  beforeEach(() => {
    store = new MemoryTokenStore();
    registry = new Registry();
    sut = new TokenService(store, 120_000, new TokenMetrics(registry), new TokenSigner(undefined));
    for (const level of ['log', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
  });
  afterEach(() => {
    jest.restoreAllMocks();
    store.close();
  });

  it('grants the requested scopes the user holds, or all of theirs when none are asked', async () => {
    await expect(sut.issue({ user: ADA, requested: ['predict:iris'] })).resolves.toMatchObject({
      scope: 'predict:iris',
      expires_in: 120,
    });
    await expect(sut.issue({ user: ADA, requested: [] })).resolves.toMatchObject({
      scope: 'models:write:* predict:*',
    });
  });

  it('refuses scopes beyond the user’s groups with invalid_scope', async () => {
    await expect(sut.issue({ user: ADA, requested: ['admin'] })).rejects.toMatchObject({
      error: 'invalid_scope',
      code: AuthErrorCode.InvalidScope,
    });
  });

  it('answers 503 (AUTH_UNAVAILABLE, retry in 5 s) when the token store cannot record the token', async () => {
    jest.spyOn(store, 'put').mockRejectedValue(new Error('Ignite at 127.0.0.1:10800 is away'));
    const refused = await sut.issue({ user: ADA, requested: [] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OAuthError);
    expect(refused).toMatchObject({
      error: 'temporarily_unavailable',
      code: AuthErrorCode.AuthUnavailable,
      retryAfterSeconds: 5,
    });
    expect((refused as Error).message).not.toContain('10800');
    const metric = await registry.getSingleMetricAsString('mlrun_logins_failed_total');
    expect(metric).toMatch(/reason="unavailable"\} 1/);
  });
});
