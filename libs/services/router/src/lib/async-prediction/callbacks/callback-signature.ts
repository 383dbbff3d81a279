import { createHmac } from 'node:crypto';

/** The header a callback's signature travels in. */
export const SIGNATURE_HEADER = 'x-mlrun-signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under MLRUN_CALLBACK_SECRET. The
 * timestamp is signed with the body, so a receiver can refuse a replayed old delivery.
 */
export function callbackSignature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}
