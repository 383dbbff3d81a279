import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/** An address or a CIDR range (`10.0.0.0/8`, `fd00::/8`) of a proxy in front of the issuer. */
type ProxyEntry = { address: string; prefix: number; family: 'ipv4' | 'ipv6' };

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

function proxyEntry(entry: string): ProxyEntry {
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

/**
 * The address a login comes from, as the login throttle counts it. Normally the TCP peer.
 * When the peer is a trusted proxy (the builder's console proxy), the client it forwards
 * for: the right-most X-Forwarded-For entry that is not itself a trusted proxy. Entries
 * further left were written by the client and could say anything, so they are never used.
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
