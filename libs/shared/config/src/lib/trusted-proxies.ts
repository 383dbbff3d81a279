import { isIP } from 'node:net';
import { z } from 'zod';

import { stringVar } from './env-fields';

/** An address or a CIDR range (`10.0.0.0/8`, `fd00::/8`) of a proxy in front of a service. */
export type ProxyEntry = { address: string; prefix: number; family: 'ipv4' | 'ipv6' };

/**
 * MLRUN_TRUSTED_PROXIES: comma-separated addresses or CIDR ranges of the proxies whose
 * X-Forwarded-For a service believes (ClientAddresses in @ml-run/server), as a list; unset:
 * none. A wrong entry is named in the error.
 */
export function trustedProxiesVar() {
  return stringVar().transform(trustedProxies).optional();
}

/**
 * Parses MLRUN_TRUSTED_PROXIES: comma-separated addresses or CIDR ranges. Throws an Error
 * whose message says which entry is wrong.
 */
export function parseTrustedProxies(text: string): string[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) proxyEntry(entry);
  return entries;
}

/** One entry of MLRUN_TRUSTED_PROXIES, or an Error naming it. */
export function proxyEntry(entry: string): ProxyEntry {
  const [address = '', prefixText, extra] = entry.split('/');
  const version = isIP(address);
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (
    version === 0 ||
    extra !== undefined ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > max
  ) {
    throw new Error(
      `${entry.slice(0, 64)} is not an IP address or CIDR range (e.g. 10.0.0.5, 10.0.0.0/8)`,
    );
  }
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

function trustedProxies(text: string, ctx: z.RefinementCtx): string[] {
  try {
    return parseTrustedProxies(text);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `must be comma-separated IP addresses or CIDR ranges; ${(error as Error).message}`,
    });
    return z.NEVER;
  }
}
