import { BlockList, isIP } from 'node:net';

/** Who a login came from, as the throttle counts it. */
export type LoginClient = {
  address: string;
  /** Told by a trusted proxy (the builder's console proxy), not seen on the socket. */
  proxied: boolean;
};

export const CLIENT_ADDRESS = Symbol('CLIENT_ADDRESS');

/**
 * The address a login is counted against. Logins through the console all arrive from the
 * builder: counted by its address, one user's guesses through the console would lock every
 * console user out. From a peer in MLRUN_TRUSTED_PROXIES the issuer believes the last
 * x-forwarded-for entry (the one the proxy itself wrote: the builder replaces the header,
 * so a browser cannot choose it); from anyone else the header is ignored.
 */
export class ClientAddress {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  constructor(trustedProxies: readonly string[]) {
    for (const entry of trustedProxies) addEntry(this.trusted, entry);
    this.any = trustedProxies.length > 0;
  }

  of(peer: string, forwardedFor: string | string[] | undefined): LoginClient {
    const header = Array.isArray(forwardedFor) ? forwardedFor.at(-1) : forwardedFor;
    if (!this.any || header === undefined || !this.isTrusted(peer)) {
      return { address: peer, proxied: false };
    }
    const client = header.split(',').at(-1)?.trim() ?? '';
    return isIP(client) === 0
      ? { address: peer, proxied: false }
      : { address: client, proxied: true };
  }

  private isTrusted(peer: string): boolean {
    const address = peer.startsWith('::ffff:') ? peer.slice('::ffff:'.length) : peer;
    const family = isIP(address);
    if (family === 0) return false;
    return this.trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** `10.0.0.5`, `fd00::1`, `10.128.0.0/14`: what MLRUN_TRUSTED_PROXIES may list. */
export function isProxyEntry(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

function addEntry(list: BlockList, entry: string): void {
  const [address = '', prefix] = entry.split('/');
  const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  if (prefix === undefined) list.addAddress(address, type);
  else list.addSubnet(address, Number(prefix), type);
}
