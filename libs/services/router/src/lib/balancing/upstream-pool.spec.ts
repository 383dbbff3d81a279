import { markSuspect } from './least-outstanding';
import { acquireUpstream, releaseUpstream } from './upstream';
import { createPool, drainPool, syncPool } from './upstream-pool';

describe(syncPool.name, () => {
  const A = 'http://127.0.0.1:9001';
  const B = 'http://127.0.0.1:9002';

  it('keeps a replica still listed, with its outstanding count and sockets', () => {
    const sut = createPool('iris', '1.0.0');
    syncPool(sut, [A, B]);
    const [a] = sut.upstreams;
    acquireUpstream(a);
    syncPool(sut, [B, A]);
    expect(sut.upstreams[1]).toBe(a);
    expect(a.outstanding).toBe(1);
    drainPool(sut);
  });

  it('clears a suspicion when an event lists the replica READY again', () => {
    const sut = createPool('iris', '1.0.0');
    syncPool(sut, [A]);
    markSuspect(sut.upstreams[0], Date.now());
    syncPool(sut, [A]);
    expect(sut.upstreams[0].suspectUntil).toBe(0);
    drainPool(sut);
  });

  it('retires a dropped replica once its last request ends', () => {
    const sut = createPool('iris', '1.0.0');
    syncPool(sut, [A, B]);
    const [a] = sut.upstreams;
    const destroy = jest.spyOn(a.agent, 'destroy');
    acquireUpstream(a);
    syncPool(sut, [B]);
    expect(sut.upstreams.map((u) => u.url)).toEqual([B]);
    expect(destroy).not.toHaveBeenCalled();
    releaseUpstream(a);
    expect(destroy).toHaveBeenCalledTimes(1);
    drainPool(sut);
  });

  it('reports URLs it cannot send to, and keeps a path prefix', () => {
    const sut = createPool('iris', '1.0.0');
    const invalid = syncPool(sut, ['not a url', 'ftp://x', 'http://10.0.0.1:80/iris/']);
    expect(invalid).toEqual(['not a url', 'ftp://x']);
    expect(sut.upstreams[0].target.href).toBe('http://10.0.0.1/iris/v1/predict');
    drainPool(sut);
  });
});
