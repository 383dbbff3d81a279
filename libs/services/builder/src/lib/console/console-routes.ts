import type { FastifyInstance, FastifyRequest } from 'fastify';

import { BuilderError, BuilderErrorCode } from '@ml-run/builder-registry';
import { ClientAddresses, registerPlainRoutes, Rule, type PlainRoute } from '@ml-run/server';

import { allowedCall, type ConsoleUpstream } from './console-allowlist';
import { ConsoleProxy } from './console-proxy';
import { ConsoleFiles } from './console-static';

export type ConsoleSettings = {
  /** The built console: index.html and its assets. */
  dir: string;
  issuerUrl: string;
  routerUrl: string;
  /** Largest request body forwarded (the upstreams' own default cap). */
  maxBodyBytes: number;
  /** Proxies in front of the builder whose x-forwarded-for names the browser's address. */
  trustedProxies: readonly string[];
};

// The router's own upstream timeout is 60 s: its 504 should arrive before ours.
const ISSUER_TIMEOUT_MS = 15_000;
const ROUTER_TIMEOUT_MS = 65_000;

const PROXY_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type ProxyMethod = (typeof PROXY_METHODS)[number];

/**
 * The web console on the builder's origin (docs/security.md, "Console"): its files under
 * /console, and /console/api/{issuer,router}/ forwarding the allowlisted calls it makes.
 * All of it is public here: files are no secret, and each forwarded call is checked by the
 * upstream against the bearer token it carries.
 */
export function registerConsole(fastify: FastifyInstance, settings: ConsoleSettings): void {
  const routes = consoleRoutes(
    new ConsoleFiles(settings.dir),
    new ConsoleProxy(
      {
        issuer: { url: settings.issuerUrl, timeoutMs: ISSUER_TIMEOUT_MS, name: 'auth-issuer' },
        router: { url: settings.routerUrl, timeoutMs: ROUTER_TIMEOUT_MS, name: 'router' },
      },
      new ClientAddresses(settings.trustedProxies),
    ),
  );
  // Its own scope: request bodies reach the proxy as the bytes the browser sent (no JSON
  // parse and re-serialization), up to the upstreams' cap.
  void fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: settings.maxBodyBytes },
      (_request, body, done) => done(null, body),
    );
    scope.addHook('onSend', async (_request, reply) => {
      reply.headers({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
    });
    registerPlainRoutes(scope, routes);
  });
}

function consoleRoutes(files: ConsoleFiles, proxy: ConsoleProxy): PlainRoute[] {
  const staticRoute = (url: string): PlainRoute => ({
    method: 'GET',
    url,
    access: [Rule.public()],
    openApi: {
      summary: 'The web console (its files; index.html for its own routes)',
      responses: {},
    },
    handler: (request, reply) =>
      files.serve(wildcardOf(request), request.headers['accept-encoding'], reply),
  });
  const proxyRoute = (upstream: ConsoleUpstream, method: ProxyMethod): PlainRoute => ({
    method,
    url: `/console/api/${upstream}/*`,
    // Public here: the upstream checks the bearer token the call carries.
    access: [Rule.public()],
    openApi: { summary: `The console's allowlisted calls to the ${upstream}`, responses: {} },
    handler: (request, reply) => {
      const rest = restOf(request, `/console/api/${upstream}/`);
      const call = allowedCall(upstream, request.method, rest);
      if (call === undefined) throw notForwarded(request);
      return proxy.forward(call, request, reply);
    },
  });
  return [
    staticRoute('/console'),
    staticRoute('/console/*'),
    ...PROXY_METHODS.flatMap((method) => [
      proxyRoute('issuer', method),
      proxyRoute('router', method),
      unknownApi(method),
    ]),
  ];
}

const unknownApi = (method: ProxyMethod): PlainRoute => ({
  method,
  url: '/console/api/*',
  access: [Rule.public()],
  openApi: { summary: 'Nothing else is forwarded', responses: {} },
  handler: (request) => {
    throw notForwarded(request);
  },
});

// The raw path after the prefix, as the browser sent it (percent-encoding kept): the
// allowlist judges exactly what would be forwarded.
function restOf(request: FastifyRequest, prefix: string): string {
  const raw = request.raw.url ?? '';
  return raw.startsWith(prefix) ? raw.slice(prefix.length) : '';
}

function notForwarded(request: FastifyRequest): BuilderError {
  const path = (request.raw.url ?? '').split('?')[0];
  return new BuilderError(
    BuilderErrorCode.NotFound,
    `${request.method} ${path} is not a console API call: the console forwards only its own calls to the issuer and the router`,
  );
}

// Decoded by Fastify's router: file names, not URLs.
function wildcardOf(request: FastifyRequest): string {
  return (request.params as { '*'?: string })['*'] ?? '';
}
