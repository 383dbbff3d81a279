import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/** One READY replica of one version, as the balancer sees it. */
export type Upstream = {
  /** The replica's base URL, as the deployment record names it. */
  readonly url: string;
  /** `<url>/v1/predict` */
  readonly target: URL;
  /** The target as request options, taken apart once rather than on every call. */
  readonly endpoint: UpstreamEndpoint;
  // Per replica: its keep-alive sockets live and die with it (node:http, not fetch: about
  // five times cheaper per call on Node 20, and every prediction pays it).
  readonly agent: HttpAgent;
  /** Requests sent and not yet answered: the least-outstanding-requests measure. */
  outstanding: number;
  /** Epoch ms until which a failed connection keeps it out of rotation; 0 when trusted. */
  suspectUntil: number;
  /** Dropped from the table; its agent is destroyed once its last request ends. */
  retired: boolean;
};

/** Where a request to the replica goes, and the Host header that names it. */
export type UpstreamEndpoint = {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: string;
  readonly path: string;
  readonly host: string;
};

/** The upstream for a replica URL, or undefined when the URL is not http(s). */
export function createUpstream(url: string): Upstream | undefined {
  let target: URL;
  try {
    // Appended, not resolved: a replica behind a path prefix keeps its prefix.
    target = new URL(`${url.replace(/\/+$/, '')}/v1/predict`);
  } catch {
    return undefined;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
  // lifo: the socket used last is reused first, so under light load a few warm sockets
  // serve and the rest time out, instead of every socket being touched in turn.
  const options = { keepAlive: true, scheduling: 'lifo' } as const;
  const agent = target.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
  const endpoint: UpstreamEndpoint = {
    protocol: target.protocol,
    // A URL keeps an IPv6 literal's brackets; a socket wants the bare address.
    hostname: target.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: target.port,
    path: `${target.pathname}${target.search}`,
    host: target.host,
  };
  return { url, target, endpoint, agent, outstanding: 0, suspectUntil: 0, retired: false };
}

/** Takes the upstream out of service; requests still in flight to it finish normally. */
export function retireUpstream(upstream: Upstream): void {
  upstream.retired = true;
  if (upstream.outstanding === 0) upstream.agent.destroy();
}

/** Counts a request sent to the upstream. */
export function acquireUpstream(upstream: Upstream): void {
  upstream.outstanding++;
}

/** Counts the request as answered (or failed). */
export function releaseUpstream(upstream: Upstream): void {
  if (upstream.outstanding > 0) upstream.outstanding--;
  if (upstream.retired && upstream.outstanding === 0) upstream.agent.destroy();
}
