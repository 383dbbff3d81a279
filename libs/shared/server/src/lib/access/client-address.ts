import { BlockList, isIP } from 'node:net';

/** Who a request came from. */
export type ClientOrigin = {
  address: string;
  /** Told by a trusted proxy's x-forwarded-for, not seen on the socket. */
  proxied: boolean;
};

/**
 * A request's client address behind the proxies a service trusts (MLRUN_TRUSTED_PROXIES):
 * from a trusted peer, the last x-forwarded-for entry (the one that proxy wrote itself, so
 * its own client cannot choose it); from anyone else, the socket's peer, the header
 * ignored. The issuer's login throttle counts by it, and the builder's console proxy
 * passes it on: console sign-ins all arrive from the builder, and counted by its address
 * one user's guesses would lock every console user out.
 */
export class ClientAddress {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  constructor(trustedProxies: readonly string[]) {
    for (const entry of trustedProxies) addEntry(this.trusted, entry);
    this.any = trustedProxies.length > 0;
  }

  of(peer: string, forwardedFor: string | string[] | undefined): ClientOrigin {
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

function addEntry(list: BlockList, entry: string): void {
  const [address = '', prefix] = entry.split('/');
  const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  if (prefix === undefined) list.addAddress(address, type);
  else list.addSubnet(address, Number(prefix), type);
}
