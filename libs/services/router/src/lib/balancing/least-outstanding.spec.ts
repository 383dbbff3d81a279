import {
  hasAvailable,
  markSuspect,
  pickLeastOutstanding,
  SUSPECT_COOLDOWN_MS,
} from './least-outstanding';
import { createPool, drainPool, syncPool, type UpstreamPool } from './upstream-pool';

const NOW = 1_000_000;

function poolOf(...ports: number[]): UpstreamPool {
  const pool = createPool('iris', '1.0.0');
  syncPool(
    pool,
    ports.map((port) => `http://127.0.0.1:${port}`),
  );
  return pool;
}

function portOf(pool: UpstreamPool, now = NOW, exclude?: UpstreamPool['upstreams'][number]) {
  return pickLeastOutstanding(pool, now, exclude)?.url.split(':')[2];
}

describe(pickLeastOutstanding.name, () => {
  let pool: UpstreamPool;

  beforeEach(() => (pool = poolOf(9001, 9002, 9003)));
  afterEach(() => drainPool(pool));

  it('picks the replica with the fewest outstanding requests', () => {
    const [a, b, c] = pool.upstreams;
    a.outstanding = 2;
    b.outstanding = 0;
    c.outstanding = 1;
    expect(portOf(pool)).toBe('9002');
  });

  it('breaks ties round-robin', () => {
    expect([portOf(pool), portOf(pool), portOf(pool), portOf(pool)]).toEqual([
      '9001',
      '9002',
      '9003',
      '9001',
    ]);
  });

  it('goes round-robin among the least busy only', () => {
    pool.upstreams[1].outstanding = 5;
    expect([portOf(pool), portOf(pool), portOf(pool)]).toEqual(['9001', '9003', '9001']);
  });

  it('skips a suspect replica until its cool-down ends', () => {
    const [a] = pool.upstreams;
    markSuspect(a, NOW);
    const picks = [portOf(pool), portOf(pool), portOf(pool)];
    expect(picks).not.toContain('9001');
    const later = NOW + SUSPECT_COOLDOWN_MS;
    expect([portOf(pool, later), portOf(pool, later), portOf(pool, later)]).toContain('9001');
  });

  it('never picks the excluded replica', () => {
    const [a, b] = pool.upstreams;
    b.outstanding = 1;
    pool.upstreams[2].outstanding = 1;
    expect(portOf(pool, NOW, a)).not.toBe('9001');
  });

  it('returns undefined when every replica is suspect, and for an empty pool', () => {
    for (const upstream of pool.upstreams) markSuspect(upstream, NOW);
    expect(pickLeastOutstanding(pool, NOW)).toBeUndefined();
    expect(hasAvailable(pool, NOW)).toBe(false);
    expect(pickLeastOutstanding(createPool('iris', '2.0.0'), NOW)).toBeUndefined();
  });
});
