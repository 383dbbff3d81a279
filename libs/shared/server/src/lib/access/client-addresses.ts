import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

import { proxyEntry } from '@ml-run/config';

/**
 * The address a request comes from behind the proxies a service trusts (MLRUN_TRUSTED_PROXIES,
 * read with trustedProxiesVar). Normally the TCP peer. When the peer is a trusted proxy,
 * the client it forwards for: the right-most X-Forwarded-For entry that is not itself a
 * trusted proxy. Entries further left were written by the client and could say anything,
 * so they are never used. The issuer's login throttle counts by it; the builder's console
 * proxy passes it on to the issuer (console sign-ins all arrive from the builder).
 */
export class ClientAddresses {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  constructor(trustedProxies: readonly string[] = []) {
    for (const entry of trustedProxies.map(proxyEntry)) {
      this.trusted.addSubnet(entry.address, entry.prefix, entry.family);
    }
    this.any = trustedProxies.length > 0;
  }

  of(request: FastifyRequest): string {
    const peer = unmapped(request.socket.remoteAddress ?? request.ip);
    if (!this.any || !this.isTrusted(peer)) return peer;
    const forwarded = [request.headers['x-forwarded-for']].flat().join(',');
    const hops = forwarded
      .split(',')
      .map((hop) => unmapped(hop.trim()))
      .filter((hop) => hop !== '');
    for (let at = hops.length - 1; at >= 0; at -= 1) {
      const hop = hops[at] ?? '';
      // Not an address: the proxy wrote nothing sane here; count the proxy itself.
      if (isIP(hop) === 0) return peer;
      if (!this.isTrusted(hop)) return hop;
    }
    return hops[0] ?? peer;
  }

  private isTrusted(address: string): boolean {
    const version = isIP(address);
    return version !== 0 && this.trusted.check(address, version === 4 ? 'ipv4' : 'ipv6');
  }
}

// An IPv4 client on a dual-stack socket shows as ::ffff:10.0.0.1.
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
