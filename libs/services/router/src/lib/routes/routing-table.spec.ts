import { aliasOf, deploymentEvent, routesOf } from '../../testing/start-test-router';
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

  it('routes to the READY replicas of a deployment event', () => {
    sut.apply(deploymentEvent('deployment.ready', 'iris', '1.0.0', [A, B], [C]));
    expect(urlsOf(sut, 'iris', '1.0.0')).toEqual([A, B]);
    sut.apply(deploymentEvent('deployment.changed', 'iris', '1.0.0', [B, C]));
    expect(urlsOf(sut, 'iris', '1.0.0')).toEqual([B, C]);
  });

  it('keeps a version whose deployment failed, with no replica to route to', () => {
    sut.apply(deploymentEvent('deployment.ready', 'iris', '1.0.0', [A]));
    sut.apply(deploymentEvent('deployment.failed', 'iris', '1.0.0', []));
    expect(urlsOf(sut, 'iris', '1.0.0')).toEqual([]);
  });

  it('drops a removed version, and the model with its last route', () => {
    sut.apply(deploymentEvent('deployment.ready', 'iris', '1.0.0', [A]));
    sut.apply(deploymentEvent('deployment.removed', 'iris', '1.0.0', [A]));
    expect(sut.model('iris')).toBeUndefined();
    expect(sut.endpointCount()).toBe(0);
  });

  it('sets an alias, and deletes it when the target is null', () => {
    const at = '2026-11-28T12:00:00.000Z';
    const target = aliasOf(['1.0.0', 90], ['2.0.0', 10]);
    sut.apply({ type: 'alias.changed', name: 'iris', alias: 'stable', target, at });
    expect(sut.model('iris')?.aliases.get('stable')).toEqual(target);
    sut.apply({ type: 'alias.changed', name: 'iris', alias: 'stable', target: null, at });
    expect(sut.model('iris')).toBeUndefined();
  });

  it('ignores events that do not change routes', () => {
    sut.apply({
      type: 'model.uploaded',
      name: 'iris',
      version: '1.0.0',
      at: '',
      bundleSha256: 'x',
      uploadedBy: 'ada',
    });
    expect(sut.modelNames()).toEqual([]);
  });

  it('handles a model named like an Object.prototype member', () => {
    sut.replace(routesOf({ constructor: { versions: { '1.0.0': [A] } } }));
    sut.replace(routesOf({}));
    expect(sut.modelNames()).toEqual([]);
  });
});
