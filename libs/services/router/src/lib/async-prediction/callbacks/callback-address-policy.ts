import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

import type { ProxyEntry } from '@ml-run/config';

import { AsyncPredictionError, AsyncPredictionErrorCode } from '../async-prediction.errors';

/** A callback URL whose host resolved only into allowed addresses, and the one to connect to. */
export type CheckedCallback = { url: URL; address: string; family: 4 | 6 };

/** Resolves a host name to every address it has (the platform's resolver). */
export type ResolveHost = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolver: ResolveHost = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Where callbacks may go: an admin's allowlist of IP ranges (MLRUN_CALLBACK_ALLOWED_CIDRS,
 * default loopback). The host is judged by what it resolves to, never by its name, and
 * every address it resolves to must be allowed: a name that also resolves elsewhere could
 * be steered there. Checked at acceptance and again at each delivery, where the connection
 * goes to the address just checked (a DNS answer that changed in between cannot redirect it).
 */
export class CallbackAddressPolicy {
  private readonly allowed = new BlockList();

  constructor(
    ranges: readonly ProxyEntry[],
    private readonly resolve: ResolveHost = systemResolver,
  ) {
    for (const { address, prefix, family } of ranges) {
      this.allowed.addSubnet(address, prefix, family);
    }
  }

  /** The URL and its checked address; AsyncPredictionError (400) saying what is wrong otherwise. */
  async check(text: string): Promise<CheckedCallback> {
    const url = parseCallbackUrl(text);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await this.lookup(host);
    const refused = addresses.find((a) => !this.allows(a.address, a.family));
    if (addresses.length === 0 || refused !== undefined) {
      throw new AsyncPredictionError(
        AsyncPredictionErrorCode.CallbackNotAllowed,
        `the callback host ${host} resolves to ${refused?.address ?? 'no address'}, which is not ` +
          'among the addresses an admin allowed for callbacks (MLRUN_CALLBACK_ALLOWED_CIDRS)',
      );
    }
    const [first] = addresses as [{ address: string; family: number }];
    return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  private allows(address: string, family: number): boolean {
    return this.allowed.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }

  private async lookup(host: string) {
    try {
      return await this.resolve(host);
    } catch {
      throw new AsyncPredictionError(
        AsyncPredictionErrorCode.CallbackNotAllowed,
        `the callback host ${host} does not resolve; name a host that does`,
      );
    }
  }
}

function parseCallbackUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('must be http or https');
  if (url.username !== '' || url.password !== '') throw invalid('must not carry credentials');
  if (text.length > 2048) throw invalid('is longer than 2048 characters');
  return url;
}

function invalid(what: string): AsyncPredictionError {
  return new AsyncPredictionError(
    AsyncPredictionErrorCode.InvalidCallback,
    `the callback URL (x-mlrun-callback-url) ${what}; send an http(s) URL such as http://127.0.0.1:9999/hook`,
  );
}
