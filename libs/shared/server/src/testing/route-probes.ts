import type { Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { InjectOptions } from 'fastify';

import type { ServiceRole } from '@ml-run/token-contract';

import type { RouteAccess } from '../lib/access/access-control';
import { ACCESS_RULES, type AccessRule } from '../lib/access/access-rule';
import type { ServiceApp } from '../lib/service-app';

/** One request an attacker without credentials sends at a door. */
export type Probe = {
  method: NonNullable<InjectOptions['method']>;
  url: string;
  headers: Record<string, string>;
};

const OVERRIDE_HEADERS = ['x-http-method-override', 'x-http-method', 'x-method-override'];

/**
 * The spellings of a route's path that a proxy, a framework or a router might treat as the
 * same path: every character percent-encoded alone and all at once, other cases, doubled
 * and trailing slashes, dot segments, `;` parameters, `#` fragments, query marks; sent with
 * the route's method, HEAD, OPTIONS, and as other methods carrying method-override headers.
 * `params` fills the route's `:name` parts (default: a plausible value); Fastify's escaped
 * `::` is a literal `:` (`predict::async`).
 */
export function spellingsOf(route: RouteAccess, params: Record<string, string> = {}): Probe[] {
  const path = route.url.replace(/(::)|:(\w+)/g, (_, escaped: string, name: string) =>
    escaped ? ':' : (params[name] ?? `x${name}1`),
  );
  const paths = new Set<string>([path, ...pathSpellings(path)]);
  const method = route.method as Probe['method'];
  const probes: Probe[] = [];
  for (const url of paths) {
    for (const m of new Set([method, 'HEAD', 'OPTIONS'] as Probe['method'][])) {
      probes.push({ method: m, url, headers: {} });
    }
  }
  for (const header of OVERRIDE_HEADERS) {
    for (const carrier of ['GET', 'POST'] as const) {
      probes.push({ method: carrier, url: path, headers: { [header]: String(method) } });
    }
  }
  return probes;
}

function pathSpellings(path: string): string[] {
  const chars = [...path];
  const encode = (c: string) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  const spellings: string[] = [];
  chars.forEach((c, i) => {
    if (c === '/') return;
    spellings.push(chars.map((d, j) => (j === i ? encode(d) : d)).join(''));
    spellings.push(chars.map((d, j) => (j === i ? encode(d).toLowerCase() : d)).join(''));
  });
  const segments = path.split('/');
  const last = segments.length - 1;
  spellings.push(
    chars.map((c) => (c === '/' ? c : encode(c))).join(''),
    path.toUpperCase(),
    segments.map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('/'),
    `/${path}`,
    path.replace(/\//g, '//'),
    `${path}/`,
    `${path}//`,
    path.replace(/\//g, '%2F'),
    path.replace(/\//g, '%2f'),
    `${path}/.`,
    [...segments.slice(0, last), '.', segments[last]].join('/'),
    [...segments.slice(0, last), 'z', '..', segments[last]].join('/'),
    [...segments.slice(0, last), '%2e', segments[last]].join('/'),
    `${path};`,
    `${path};x=1`,
    [...segments.slice(0, last), `${segments[last - 1] ?? ''};x`, segments[last]]
      .filter((_, i) => i !== last - 1)
      .join('/'),
    `${path}#`,
    `${path}#x`,
    `${path}%23x`,
    `${path}?`,
    `${path}?x=1`,
    `${path}%3Fx=1`,
    `${path}%00`,
    `${path}%20`,
    `${path}\t`,
  );
  return spellings;
}

/** Every controller class the app's modules declare. */
export function controllersOf(app: ServiceApp): Type[] {
  const controllers = new Set<Type>();
  for (const module of app.nest.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      if (wrapper.metatype) controllers.add(wrapper.metatype as Type);
    }
  }
  return [...controllers];
}

/** A spy on a handler, named `Class.method`. */
export type HandlerSpy = { name: string; calls: () => number; restore: () => void };

/**
 * Spies on every handler whose declared rules admit no one without a credential. Call it
 * before the app is created: Nest binds handlers when it registers routes. The spy keeps
 * the handler's metadata (route, access rules) so the routes stay the same.
 */
export function spyOnProtectedHandlers(controllers: readonly Type[]): HandlerSpy[] {
  const spies: HandlerSpy[] = [];
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const original = prototype[name];
      if (name === 'constructor' || typeof original !== 'function') continue;
      const rules = Reflect.getMetadata(ACCESS_RULES, original) as AccessRule[] | undefined;
      if (rules === undefined || rules.some((rule) => rule.kind === 'public')) continue;
      let calls = 0;
      const spy = function (this: unknown, ...args: unknown[]) {
        calls++;
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      };
      for (const key of Reflect.getMetadataKeys(original)) {
        Reflect.defineMetadata(key, Reflect.getMetadata(key, original), spy);
      }
      Object.defineProperty(spy, 'name', { value: name });
      prototype[name] = spy;
      spies.push({
        name: `${controller.name}.${name}`,
        calls: () => calls,
        restore: () => void (prototype[name] = original),
      });
    }
  }
  return spies;
}

/**
 * Starts a service with a spy on every protected handler: once to find its controllers,
 * closed, then again with the spies in place. `restore` takes the spies off the classes.
 */
export async function startWithHandlerSpies<T>(
  start: () => Promise<T>,
  appOf: (started: T) => ServiceApp,
  close: (started: T) => Promise<void> = (started) => appOf(started).close(),
): Promise<{ started: T; spies: HandlerSpy[]; restore: () => void }> {
  const scout = await start();
  const controllers = controllersOf(appOf(scout));
  await close(scout);
  const spies = spyOnProtectedHandlers(controllers);
  const started = await start();
  return { started, spies, restore: () => spies.forEach((spy) => spy.restore()) };
}

/** The names of the spied handlers that ran. */
export const handlersThatRan = (spies: readonly HandlerSpy[]): string[] =>
  spies.filter((spy) => spy.calls() > 0).map((spy) => spy.name);

/** Sends every spelling of every non-public route without credentials; returns the answers. */
export async function probeProtectedRoutes(
  app: ServiceApp,
  params: Record<string, string> = {},
): Promise<{ probe: Probe; status: number }[]> {
  const answers: { probe: Probe; status: number }[] = [];
  for (const route of app.routes) {
    if (route.rules.some((rule) => rule.kind === 'public')) continue;
    for (const probe of spellingsOf(route, params)) {
      const bodyless = probe.method === 'GET' || probe.method === 'HEAD';
      const status = await app.inject({ ...probe, payload: bodyless ? undefined : 'x' }).then(
        (res) => res.statusCode,
        // A spelling no HTTP client can put on the wire never reaches the service.
        () => 0,
      );
      answers.push({ probe, status });
    }
  }
  return answers;
}

/**
 * Sends each role's credential, as a bearer header, to every non-public route whose rules do
 * not name that role (with the route's method and path); returns the answers. A credential
 * must open only its own role's doors. `bearer-present` routes are left out: any bearer
 * passes them, and the replica behind checks it.
 */
export async function probeWithForeignCredentials(
  app: ServiceApp,
  credentials: Partial<Record<ServiceRole, string>>,
  params: Record<string, string> = {},
): Promise<{ role: ServiceRole; method: string; url: string; status: number }[]> {
  const answers: { role: ServiceRole; method: string; url: string; status: number }[] = [];
  for (const [role, credential] of Object.entries(credentials) as [ServiceRole, string][]) {
    for (const route of app.routes) {
      const opens = (rule: AccessRule) =>
        rule.kind === 'public' ||
        rule.kind === 'bearer-present' ||
        (rule.kind === 'service' && rule.role === role);
      if (route.rules.some(opens)) continue;
      const [probe] = spellingsOf(route, params);
      if (probe === undefined) continue;
      const bodyless = probe.method === 'GET' || probe.method === 'HEAD';
      const res = await app.inject({
        ...probe,
        headers: { authorization: `Bearer ${credential}` },
        payload: bodyless ? undefined : 'x',
      });
      answers.push({ role, method: probe.method, url: probe.url, status: res.statusCode });
    }
  }
  return answers;
}
