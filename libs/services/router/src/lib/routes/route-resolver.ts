import { pickWeighted, type AliasTarget } from '@ml-run/registry-contract';

import { hasAvailable, SUSPECT_COOLDOWN_MS } from '../balancing/least-outstanding';
import type { UpstreamPool } from '../balancing/upstream-pool';
import { RouterError, RouterErrorCode } from '../router.errors';
import type { ModelRoutes, RoutingTable } from './routing-table';

/** What a predict request names: a model and an alias, or a model and a version. */
export type RouteTarget = { name: string; alias: string } | { name: string; version: string };

/**
 * The pool of the version that serves the target. An alias picks among its versions by
 * weight (`random` in [0, 1)), skipping versions with no usable replica, so a failing
 * canary does not fail its share of requests while the other version can answer.
 */
export function resolveRoute(
  table: RoutingTable,
  target: RouteTarget,
  random: number,
  now: number,
): UpstreamPool {
  const model = table.model(target.name);
  if (!model) throw modelNotFound(target.name, table.modelNames());
  if ('version' in target) {
    const pool = model.versions.get(target.version);
    if (!pool) throw versionNotFound(target.name, target.version, model);
    return pool;
  }
  const alias = model.aliases.get(target.alias);
  if (!alias) throw aliasNotFound(target.name, target.alias, model);
  const serving = pickServingVersion(alias, model, random, now);
  const pool = serving === undefined ? undefined : model.versions.get(serving);
  if (pool) return pool;
  // Nothing can answer: explain with the version the weights alone would have picked.
  const wanted = pickWeighted(alias, random);
  const wantedPool = wanted === undefined ? undefined : model.versions.get(wanted);
  if (wantedPool) throw noReadyReplica(wantedPool);
  throw aliasOntoUndeployed(target.name, target.alias, wanted);
}

function pickServingVersion(
  alias: AliasTarget,
  model: ModelRoutes,
  random: number,
  now: number,
): string | undefined {
  const serving = alias.versions.filter(
    ({ version, weight }) => weight > 0 && hasAvailable(model.versions.get(version), now),
  );
  const total = serving.reduce((sum, { weight }) => sum + weight, 0);
  if (total === 0) return undefined;
  // pickWeighted spreads [0, 1) over 100 points; scaled, it spreads over what is left.
  return pickWeighted({ versions: serving }, (random * total) / 100);
}

/** The 503 for a pool with no usable replica: none READY, or all recently unreachable. */
export function noReadyReplica(pool: UpstreamPool): RouterError {
  const subject = `${pool.name}@${pool.version}`;
  const message =
    pool.upstreams.length === 0
      ? `${subject} has no ready replica; retry in a second`
      : `every replica of ${subject} failed to connect in the last ${SUSPECT_COOLDOWN_MS / 1000} s; retry in a second`;
  return new RouterError(RouterErrorCode.NoReadyReplica, message);
}

export function modelNotFound(name: string, models: string[]): RouterError {
  const known =
    models.length === 0 ? 'no model is deployed yet' : `deployed models: ${listed(models)}`;
  return new RouterError(
    RouterErrorCode.ModelNotFound,
    `no model named "${name}" is deployed; ${known}`,
  );
}

function versionNotFound(name: string, version: string, model: ModelRoutes): RouterError {
  const versions = [...model.versions.keys()];
  const known =
    versions.length === 0 ? 'it has no deployed version' : `deployed versions: ${listed(versions)}`;
  return new RouterError(
    RouterErrorCode.VersionNotFound,
    `model ${name} has no deployed version "${version}"; ${known}`,
  );
}

function aliasNotFound(name: string, alias: string, model: ModelRoutes): RouterError {
  const aliases = [...model.aliases.keys()];
  const versions = [...model.versions.keys()];
  const known =
    aliases.length > 0
      ? `its aliases: ${listed(aliases)}`
      : `it has no aliases; call /v1/models/${name}/versions/{version}/predict with one of: ${listed(versions)}`;
  return new RouterError(
    RouterErrorCode.AliasNotFound,
    `model ${name} has no alias "${alias}"; ${known}`,
  );
}

function aliasOntoUndeployed(
  name: string,
  alias: string,
  version: string | undefined,
): RouterError {
  return new RouterError(
    RouterErrorCode.NoReadyReplica,
    `alias ${alias} of model ${name} points at ${version ?? 'no version'}, which is not deployed; retry once it is`,
  );
}

// Messages name what exists, but a model with hundreds of versions must not flood them.
const LISTED_AT_MOST = 10;

function listed(names: string[]): string {
  if (names.length === 0) return 'none';
  const sorted = [...names].sort();
  const shown = sorted.slice(0, LISTED_AT_MOST).join(', ');
  const more = sorted.length - LISTED_AT_MOST;
  return more > 0 ? `${shown} and ${more} more` : shown;
}
