import { z } from 'zod';

import {
  intVar,
  optionalSecretVar,
  presentedCredentialVar,
  proxyEntry,
  stringVar,
  type ProxyEntry,
} from '@ml-run/config';

/** Asynchronous predictions (POST .../predict:async, GET /v1/predictions/{id}). */
export const asyncPredictionConfigShape = {
  /**
   * Where the router checks the tokens of the asynchronous routes (it cannot leave that to
   * a replica: the request is queued, not forwarded), with MLRUN_INTROSPECTION_TOKEN.
   */
  MLRUN_VALIDATOR_URL: stringVar({
    default: 'http://127.0.0.1:8092',
    pattern: /^https?:\/\//,
    hint: 'must be an http(s) URL',
  }),
  /** The introspection credential presented to the validator; unset: no asynchronous routes. */
  MLRUN_INTROSPECTION_TOKEN: presentedCredentialVar(),
  /** How long a prediction's record (and result) is kept after acceptance. */
  MLRUN_ASYNC_RESULT_TTL_MS: intVar({ min: 1000, max: 30 * 86_400_000, default: 3_600_000 }),
  /** Embedded mode: requests this router runs at once for the in-process bus. */
  MLRUN_ASYNC_DISPATCH_INFLIGHT: intVar({ min: 1, max: 10_000, default: 32 }),
  /**
   * Addresses callbacks may go to, as comma-separated IPs or CIDR ranges: a callback URL's
   * host must resolve only into them, at acceptance and again at each delivery.
   */
  MLRUN_CALLBACK_ALLOWED_CIDRS: stringVar({ default: '127.0.0.0/8,::1/128' }).transform(cidrList),
  /** Signs callbacks (HMAC-SHA256 over timestamp + body); unset: callbacks are refused. */
  MLRUN_CALLBACK_SECRET: optionalSecretVar({ minLength: 32 }),
  /** How long one callback delivery may take. */
  MLRUN_CALLBACK_TIMEOUT_MS: intVar({ min: 100, max: 60_000, default: 5000 }),
  /** Deliveries of one callback before it is given up (the result stays readable). */
  MLRUN_CALLBACK_ATTEMPTS: intVar({ min: 1, max: 10, default: 3 }),
};

function cidrList(text: string, ctx: z.RefinementCtx): ProxyEntry[] {
  try {
    return text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '')
      .map(proxyEntry);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `must be comma-separated IP addresses or CIDR ranges; ${(error as Error).message}`,
    });
    return z.NEVER;
  }
}
