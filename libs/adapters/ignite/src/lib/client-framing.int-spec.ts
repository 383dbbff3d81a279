import { randomUUID } from 'node:crypto';
import IgniteClient from 'apache-ignite-client';

import { platformIgniteLogin, REAL_COMPONENTS } from '@ml-run/process-testing';

const N = 5000;
const ROUNDS = 5;

// One raw client, no pool and no cap: without the fix (patches/apache-ignite-client+1.0.0.patch),
// 5,000 gets in flight on one connection lost the connection within ten rounds in every run
// measured.
describe('apache-ignite-client with whole-response framing', () => {
  const client = new IgniteClient();
  const keys = Array.from({ length: N }, (_, i) => `int-spec/framing/${randomUUID()}/${i}`);
  // Values of many lengths, so responses end at every offset within TCP chunks.
  const valueOf = (i: number) => `value-${i}-${'x'.repeat(i % 97)}`;
  let cache: IgniteClient.CacheClient;

  beforeAll(async () => {
    const { userName, password } = platformIgniteLogin();
    const config = new IgniteClient.IgniteClientConfiguration(REAL_COMPONENTS.igniteEndpoints);
    await client.connect(config.setUserName(userName).setPassword(password));
    cache = await client.getOrCreateCache('mlrun-int-spec-framing');
    for (let i = 0; i < N; i += 500) {
      await Promise.all(keys.slice(i, i + 500).map((key, j) => cache.put(key, valueOf(i + j))));
    }
  });
  afterAll(async () => {
    await cache?.removeKeys(keys);
    client.disconnect();
  });

  it(`answers ${ROUNDS} rounds of ${N} gets in flight on one connection, each with its own value`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const values = await Promise.all(keys.map((key) => cache.get(key)));
      expect(values.filter((value, i) => value !== valueOf(i))).toEqual([]);
    }
  });
});
