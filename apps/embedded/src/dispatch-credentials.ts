import { randomBytes } from 'node:crypto';

import { predictScope, TOKEN_AUDIENCE, tokenHash } from '@ml-run/token-contract';
import type { TokenStore } from '@ml-run/token-store';

/** Who the replicas see running an asynchronous prediction in embedded mode. */
export const ASYNC_DISPATCH_SUBJECT = 'ml-run-service:async-dispatch';

const LIFETIME_MS = 10 * 60_000;

/**
 * The credential embedded mode's router presents to a model's replicas when it runs a
 * queued prediction: an opaque token minted into this process's own token store, with
 * `predict:<model>` only and a short life, renewed at half-life. The caller's token is
 * never queued (it may expire while waiting), and no credential opens another model.
 */
export function dispatchCredentials(store: TokenStore): (model: string) => Promise<string> {
  const held = new Map<string, { token: string; renewAt: number }>();
  return async (model) => {
    const now = Date.now();
    const current = held.get(model);
    if (current && current.renewAt > now) return current.token;
    const token = `mlr_${randomBytes(32).toString('base64url')}`;
    const exp = (now + LIFETIME_MS) / 1000;
    await store.put(tokenHash(token), {
      sub: ASYNC_DISPATCH_SUBJECT,
      scope: [predictScope(model)],
      iat: Math.floor(now / 1000),
      iatMs: now,
      exp,
      aud: TOKEN_AUDIENCE,
    });
    held.set(model, { token, renewAt: now + LIFETIME_MS / 2 });
    return token;
  };
}
