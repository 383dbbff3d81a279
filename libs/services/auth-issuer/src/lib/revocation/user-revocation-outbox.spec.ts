import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { until } from '@ml-run/async/testing';
import { MemoryEventBus, type BusEvent, type EventPublisher } from '@ml-run/event-bus';
import { TOKEN_EVENTS_TOPIC, tokenHash, type TokenEvent } from '@ml-run/token-contract';
import { findLiveRecord } from '@ml-run/token-store';

import {
  ADA_PASSWORD,
  ROOT_PASSWORD,
  startTestIssuer,
  type TestIssuer,
} from '../../testing/start-test-issuer';
import { RevocationService } from './revocation.service';

/** Kafka as seen by the issuer: refuses every publish while `up` is false. */
class FlakyBus implements EventPublisher {
  up = false;
  readonly delivered = new MemoryEventBus();

  async publish<E extends BusEvent>(topic: string, event: E): Promise<void> {
    if (!this.up) throw new Error('kafka refused the publish');
    await this.delivered.publish(topic, event);
  }
}

describe(`${RevocationService.name} user-wide events`, () => {
  let outboxDir: string;
  let bus: FlakyBus;
  let events: TokenEvent[];
  let sut: TestIssuer;

  const start = () => startTestIssuer({ MLRUN_TOKEN_EVENTS_OUTBOX_DIR: outboxDir }, bus);
  const tokenOf = async (username: string, password: string): Promise<string> => {
    const res = await sut.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { grant_type: 'password', username, password },
    });
    return res.json().access_token;
  };
  const revoke = async (name: string, admin: string) =>
    sut.app.inject({
      method: 'POST',
      url: `/v1/auth/users/${name}/revoke-tokens`,
      headers: { authorization: `Bearer ${admin}` },
    });
  const revokedSubs = () =>
    events.flatMap((e) => (e.type === 'user.tokens-revoked' ? [e.sub] : []));

  beforeEach(async () => {
    outboxDir = await mkdtemp(path.join(os.tmpdir(), 'issuer-outbox-'));
    bus = new FlakyBus();
    events = [];
    bus.delivered.subscribe<TokenEvent>(TOKEN_EVENTS_TOPIC, (e) => void events.push(e));
    sut = await start();
  });
  afterEach(async () => {
    await sut.close();
    await rm(outboxDir, { recursive: true, force: true });
  });

  it('answers success while the bus refuses the event, and delivers it once the bus is back', async () => {
    const ada = await tokenOf('ada', ADA_PASSWORD);
    const root = await tokenOf('root', ROOT_PASSWORD);
    const res = await revoke('ada', root);
    expect(res.statusCode).toBe(200);
    // The store refuses ada's token at once; the replicas hear of it later.
    expect(await findLiveRecord(sut.tokenStore, tokenHash(ada))).toBeUndefined();
    expect(await readdir(outboxDir)).toHaveLength(1);
    expect(revokedSubs()).toEqual([]);
    bus.up = true;
    await until(() => revokedSubs().length === 1, 10_000);
    expect(events).toEqual([
      { type: 'user.tokens-revoked', sub: 'ada', notBefore: res.json().notBefore },
    ]);
    await until(async () => (await readdir(outboxDir)).length === 0, 10_000);
  });

  it('delivers what was waiting after a restart, in the order of the revokes', async () => {
    const root = await tokenOf('root', ROOT_PASSWORD);
    expect((await revoke('ada', root)).statusCode).toBe(200);
    expect((await revoke('pat', root)).statusCode).toBe(200);
    // Stopped with both events still waiting (the bus never took them).
    await sut.close();
    expect(await readdir(outboxDir)).toHaveLength(2);
    bus.up = true;
    sut = await start();
    await until(() => revokedSubs().length === 2, 10_000);
    expect(revokedSubs()).toEqual(['ada', 'pat']);
  });
});
