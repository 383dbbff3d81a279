import { aliasOf, routesOf } from '../../testing/start-test-router';
import { RoutingTable } from './routing-table';

const A = 'http://127.0.0.1:9001';
const B = 'http://127.0.0.1:9002';
const C = 'http://127.0.0.1:9003';

function urlsOf(sut: RoutingTable, name: string, version: string): string[] | undefined {
  return sut
    .model(name)
    ?.versions.get(version)
    ?.upstreams.map((upstream) => upstream.url);
}

describe(RoutingTable.name, () => {
  let sut: RoutingTable;

  beforeEach(() => {
    sut = new RoutingTable();
  });
  afterEach(() => sut.clear());

  it('loads versions and aliases from a snapshot', () => {
    expect(sut.loaded).toBe(false);
    sut.replace(
      routesOf({
        iris: { versions: { '1.0.0': [A, B] }, aliases: { stable: aliasOf(['1.0.0', 100]) } },
      }),
    );
    expect(sut.loaded).toBe(true);
    expect(urlsOf(sut, 'iris', '1.0.0')).toEqual([A, B]);
    expect(sut.model('iris')?.aliases.get('stable')).toEqual(aliasOf(['1.0.0', 100]));
    expect(sut.endpointCount()).toBe(2);
  });

  it('makes a later snapshot the whole truth, keeping replicas still listed', () => {
    sut.replace(
      routesOf({
        iris: { versions: { '1.0.0': [A], '2.0.0': [B] } },
        wine: { versions: { '1.0.0': [C] } },
      }),
    );
    const kept = sut.model('iris')?.versions.get('1.0.0')?.upstreams[0];
    sut.replace(
      routesOf({
        iris: { versions: { '1.0.0': [A] }, aliases: { stable: aliasOf(['1.0.0', 100]) } },
      }),
    );
    expect(sut.model('iris')?.versions.get('1.0.0')?.upstreams[0]).toBe(kept);
    expect(sut.versions()).toEqual([{ name: 'iris', version: '1.0.0' }]);
    expect(sut.modelNames()).toEqual(['iris']);
  });

  it('drops a version no longer listed, and the model with its last route', () => {
    sut.replace(routesOf({ iris: { versions: { '1.0.0': [A] } } }));
    sut.replace(routesOf({}));
    expect(sut.model('iris')).toBeUndefined();
    expect(sut.endpointCount()).toBe(0);
  });

  it('drops an alias no longer listed', () => {
    const target = aliasOf(['1.0.0', 90], ['2.0.0', 10]);
    sut.replace(routesOf({ iris: { aliases: { stable: target } } }));
    expect(sut.model('iris')?.aliases.get('stable')).toEqual(target);
    sut.replace(routesOf({ iris: { versions: { '1.0.0': [A] } } }));
    expect(sut.model('iris')?.aliases.size).toBe(0);
  });

  it('handles a model named like an Object.prototype member', () => {
    sut.replace(routesOf({ constructor: { versions: { '1.0.0': [A] } } }));
    sut.replace(routesOf({}));
    expect(sut.modelNames()).toEqual([]);
  });
});
