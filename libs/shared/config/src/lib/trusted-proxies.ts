import { isIP } from 'node:net';

import { stringVar } from './env-fields';

/**
 * MLRUN_TRUSTED_PROXIES: addresses or CIDR ranges (comma-separated) of the proxies whose
 * x-forwarded-for a service believes, as a list; unset: none.
 */
export function trustedProxiesVar() {
  return stringVar()
    .transform((list) =>
      list
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine(
      (entries) => entries.every(isProxyEntry),
      'must be IP addresses or CIDR ranges, comma-separated, e.g. 10.0.0.5,10.128.0.0/14',
    )
    .optional();
}

/** `10.0.0.5`, `fd00::1`, `10.128.0.0/14`: what MLRUN_TRUSTED_PROXIES may list. */
export function isProxyEntry(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
