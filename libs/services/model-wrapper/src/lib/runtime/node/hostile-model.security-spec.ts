// A hostile node model after the wrapper's credentials: its predict answers with its whole
// environment. The wrapper holds MLRUN_INTROSPECTION_TOKEN (and other MLRUN_ settings) in
// its environment; a node model used to run in that very process.
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import type { ServiceApp } from '@ml-run/server';

import { FIXTURES, startTestWrapper } from '../../../testing/start-test-wrapper';

const HOSTILE = path.join(FIXTURES, 'node/hostile-env');
// In the fixture's manifest env: the model's own setting, which it must see.
const MANIFEST_VALUE = 'manifest-value-4b1d7e';

const secret = (role: string) => `${role}-${randomBytes(24).toString('hex')}`;
const SECRETS: Record<string, string> = {
  MLRUN_INTROSPECTION_TOKEN: secret('introspection'),
  MLRUN_METRICS_TOKEN: secret('metrics'),
  MLRUN_ROUTE_TABLE_TOKEN: secret('route-table'),
  // Cluster mode: the model's own Kafka principal, which its replica consumes with.
  MLRUN_KAFKA_MODEL_PASSWORD: secret('kafka-model'),
};

describe('a hostile node model', () => {
  const saved: Record<string, string | undefined> = {};
  let sut: ServiceApp;

  beforeAll(async () => {
    // The wrapper's own environment, where the credentials live when it runs as a replica.
    for (const [key, value] of Object.entries(SECRETS)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    const { MLRUN_INTROSPECTION_TOKEN, MLRUN_METRICS_TOKEN } = SECRETS;
    const wrapper = await startTestWrapper(HOSTILE, {
      MLRUN_INTROSPECTION_TOKEN: MLRUN_INTROSPECTION_TOKEN as string,
      MLRUN_METRICS_TOKEN: MLRUN_METRICS_TOKEN as string,
    });
    sut = wrapper.app;
    await wrapper.initialized;
  });

  afterAll(async () => {
    await sut.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  async function stolen(): Promise<string> {
    const res = await sut.inject({ method: 'POST', url: '/v1/predict', payload: 'env' });
    expect(res.statusCode).toBe(200);
    return res.body;
  }

  it("reads every credential when it runs in the wrapper's process (positive control)", async () => {
    // What the in-process node runtime did: load the entry here and call predict.
    const model = jest.requireActual<{ predict(input: string): string }>(
      path.join(HOSTILE, 'model.js'),
    );
    const answer = model.predict('env');
    for (const value of Object.values(SECRETS)) expect(answer).toContain(value);
  });

  it('sees its manifest env in its worker (the search finds what is there)', async () => {
    expect(await stolen()).toContain(MANIFEST_VALUE);
  });

  it('finds no credential of the wrapper in its environment', async () => {
    const answer = await stolen();
    for (const value of Object.values(SECRETS)) expect(answer).not.toContain(value);
    expect(Object.keys(JSON.parse(answer)).filter((key) => key.startsWith('MLRUN_'))).toEqual([]);
  });
});
