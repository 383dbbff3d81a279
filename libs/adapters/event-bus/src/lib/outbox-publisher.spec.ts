import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { until } from '@ml-run/async/testing';

import type { BusEvent, EventPublisher } from './event-bus.port';
import { OutboxPublisher } from './outbox-publisher';

/** A bus that is down until `up` is set, recording what it took. */
class FlakyBus implements EventPublisher {
  up = false;
  readonly taken: BusEvent[] = [];

  async publish<E extends BusEvent>(_topic: string, event: E): Promise<void> {
    if (!this.up) throw new Error('bus down');
    this.taken.push(event);
  }
}

const event = (n: number) => ({ type: 'alias.changed', n });

describe(OutboxPublisher.name, () => {
  let dir: string;
  let bus: FlakyBus;
  let sut: OutboxPublisher;
  const retry = { initialMs: 20, maxMs: 50 };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'outbox-'));
    bus = new FlakyBus();
    sut = new OutboxPublisher(bus, dir, { retry });
    await sut.start();
  });
  afterEach(async () => {
    sut.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends at once while the bus is up, keeping nothing', async () => {
    bus.up = true;
    await sut.publish('t', event(1));
    expect(bus.taken).toEqual([event(1)]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps what the bus refused and sends it, in order, once the bus is back', async () => {
    await sut.publish('t', event(1));
    await sut.publish('t', event(2));
    expect(sut.waiting).toBe(2);
    bus.up = true;
    // Queued behind the two waiting: order holds even though the bus is up now.
    await sut.publish('t', event(3));
    // An event leaves the outbox after the bus took it (its file removed, then counted).
    await until(() => bus.taken.length === 3 && sut.waiting === 0);
    expect(bus.taken).toEqual([event(1), event(2), event(3)]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('sends what an earlier run left behind after a restart', async () => {
    await sut.publish('t', event(1));
    sut.close();
    bus.up = true;
    const restarted = new OutboxPublisher(bus, dir, { retry });
    await restarted.start();
    await until(() => bus.taken.length === 1);
    restarted.close();
    expect(bus.taken).toEqual([event(1)]);
  });

  it('sets an unreadable file aside instead of holding every later event back', async () => {
    sut.close();
    await writeFile(path.join(dir, '000000000000000-000000000-broken.json'), '{"topic":');
    bus.up = true;
    const restarted = new OutboxPublisher(bus, dir, { retry });
    await restarted.start();
    await restarted.publish('t', event(1));
    await until(() => bus.taken.length === 1);
    restarted.close();
    expect(bus.taken).toEqual([event(1)]);
    expect(await readdir(dir)).toEqual(['000000000000000-000000000-broken.json.unreadable']);
  });
});
