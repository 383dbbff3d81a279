import { compareAndSet } from './compare-and-set';

type Cache = Parameters<typeof compareAndSet>[0];

// A cache whose value another writer changes right after each of the first `races` reads.
function racingCache(initial: string | undefined, races: number) {
  let value = initial;
  let reads = 0;
  const cache: Cache = {
    get: async () => {
      const seen = value;
      if (reads++ < races) value = JSON.stringify({ n: reads * 100 });
      return seen;
    },
    putIfAbsent: async (_key, next) => {
      if (value !== undefined) return false;
      value = next;
      return true;
    },
    replaceIfEquals: async (_key, expected, next) => {
      if (value !== expected) return false;
      value = next;
      return true;
    },
  };
  return { cache, value: () => value, reads: () => reads };
}

const parse = (raw: string) => JSON.parse(raw) as { n: number };
const increment = (stored: { n: number } | undefined) => ({
  value: { n: (stored?.n ?? 0) + 1 },
  write: true,
});

describe(compareAndSet.name, () => {
  it('creates an absent value with putIfAbsent', async () => {
    const fake = racingCache(undefined, 0);
    expect(await compareAndSet(fake.cache, 'k', parse, increment)).toEqual({ n: 1 });
    expect(fake.value()).toBe('{"n":1}');
  });

  it('re-reads and re-applies the change after losing a race', async () => {
    const fake = racingCache('{"n":1}', 2);
    expect(await compareAndSet(fake.cache, 'k', parse, increment)).toEqual({ n: 201 });
    expect(fake.value()).toBe('{"n":201}');
    expect(fake.reads()).toBe(3);
  });

  it('writes nothing when the change says so', async () => {
    const fake = racingCache('{"n":1}', 0);
    const result = await compareAndSet(fake.cache, 'k', parse, (stored) => ({
      value: stored ?? { n: 0 },
      write: false,
    }));
    expect(result).toEqual({ n: 1 });
    expect(fake.reads()).toBe(1);
  });

  it('gives up when the value keeps changing', async () => {
    const fake = racingCache('{"n":1}', Infinity);
    await expect(compareAndSet(fake.cache, 'k', parse, increment)).rejects.toThrow(
      'entry k kept changing; gave up after 50 attempts',
    );
  });
});
