import { aliasOf, routesOf } from '../../testing/start-test-router';
import { markSuspect } from '../balancing/least-outstanding';
import type { Upstream } from '../balancing/upstream';
import type { UpstreamPool } from '../balancing/upstream-pool';
import { RouterError } from '../router.errors';
import { noReadyReplica, resolveRoute, type RouteTarget } from './route-resolver';
import { RoutingTable } from './routing-table';

const V1 = '1.0.0+aaaaaaaaaaaa';
const V2 = '1.1.0+bbbbbbbbbbbb';
const A = 'http://127.0.0.1:9001';
const B = 'http://127.0.0.1:9002';
const NOW = 1_000_000;

function poolOf(table: RoutingTable, version: string): UpstreamPool {
  const pool = table.model('iris')?.versions.get(version);
  if (!pool) throw new Error(`no pool for ${version}`);
  return pool;
}

function failure(table: RoutingTable, target: RouteTarget, random = 0): RouterError {
  try {
    resolveRoute(table, target, random, NOW);
  } catch (error) {
    if (error instanceof RouterError) return error;
    throw error;
  }
  throw new Error('resolved');
}

describe(resolveRoute.name, () => {
  let table: RoutingTable;

  beforeEach(() => {
    table = new RoutingTable();
    table.replace(
      routesOf({
        iris: {
          versions: { [V1]: [A], [V2]: [B] },
          aliases: { stable: aliasOf([V1, 90], [V2, 10]), next: aliasOf([V2, 100]) },
        },
        wine: { versions: { '2.0.0': [] } },
      }),
    );
  });
  afterEach(() => table.clear());

  it('splits an alias by weight', () => {
    const sut = (random: number) =>
      resolveRoute(table, { name: 'iris', alias: 'stable' }, random, NOW);
    expect(sut(0).version).toBe(V1);
    expect(sut(0.89).version).toBe(V1);
    expect(sut(0.9).version).toBe(V2);
    expect(sut(0.99).version).toBe(V2);
  });

  it('sends the whole split to the version that can answer when the other cannot', () => {
    markSuspect(poolOf(table, V2).upstreams[0] as Upstream, NOW);
    const pool = resolveRoute(table, { name: 'iris', alias: 'stable' }, 0.95, NOW);
    expect(pool.version).toBe(V1);
  });

  it('resolves a version directly', () => {
    expect(resolveRoute(table, { name: 'iris', version: V2 }, 0, NOW).upstreams[0]?.url).toBe(B);
  });

  it('names the deployed models for an unknown model', () => {
    const error = failure(table, { name: 'rose', alias: 'stable' });
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toBe('no model named "rose" is deployed; deployed models: iris, wine');
  });

  it('names the deployed versions for an unknown version', () => {
    const error = failure(table, { name: 'iris', version: '9.9.9' });
    expect(error.code).toBe('VERSION_NOT_FOUND');
    expect(error.message).toBe(
      `model iris has no deployed version "9.9.9"; deployed versions: ${V1}, ${V2}`,
    );
  });

  it('names the aliases for an unknown alias, or the versions when there is none', () => {
    const error = failure(table, { name: 'iris', alias: 'beta' });
    expect(error.code).toBe('ALIAS_NOT_FOUND');
    expect(error.message).toBe('model iris has no alias "beta"; its aliases: next, stable');
    expect(failure(table, { name: 'wine', alias: 'stable' }).message).toBe(
      'model wine has no alias "stable"; it has no aliases; call /v1/models/wine/versions/{version}/predict with one of: 2.0.0',
    );
  });

  it('says why an alias has no ready replica when none of its versions can answer', () => {
    table.setVersion('iris', V2, []);
    const error = failure(table, { name: 'iris', alias: 'next' });
    expect(error.code).toBe('NO_READY_REPLICA');
    expect(error.message).toBe(`iris@${V2} has no ready replica; retry in a second`);
    table.removeVersion('iris', V2);
    expect(failure(table, { name: 'iris', alias: 'next' }).message).toBe(
      `alias next of model iris points at ${V2}, which is not deployed; retry once it is`,
    );
  });

  it('shortens long lists', () => {
    for (let i = 0; i < 12; i++) table.setVersion('iris', `2.0.${i}`, []);
    expect(failure(table, { name: 'iris', version: 'x' }).message).toMatch(/and 4 more$/);
  });
});

describe(noReadyReplica.name, () => {
  it('tells no replica apart from every replica failing', () => {
    const table = new RoutingTable();
    table.replace(routesOf({ iris: { versions: { [V1]: [], [V2]: [A] } } }));
    expect(noReadyReplica(poolOf(table, V1)).message).toBe(
      `iris@${V1} has no ready replica; retry in a second`,
    );
    expect(noReadyReplica(poolOf(table, V2)).message).toContain(
      'failed to connect in the last 2 s',
    );
    table.clear();
  });
});
