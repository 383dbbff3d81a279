import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Logger } from '@nestjs/common';

import { until } from '@ml-run/async/testing';
import type { BusEvent } from '@ml-run/event-bus';
import { realKafka } from '@ml-run/process-testing';

import { KafkaBusErrorCode } from './kafka-bus.errors';
import { KafkaEventBus, type KafkaEventBusOptions } from './kafka-event-bus';

// Stops and restarts the shared broker of tools/services/kafka: other integration tests
// running at the same time will see it go away. afterAll always starts it again.
const KAFKA_SCRIPTS = path.resolve(__dirname, '../../../../../tools/services/kafka');
// The platform's principal: the broker's ACLs let nobody else use ml-run.* topics.
const { brokers: BROKERS, sasl: SASL } = realKafka();
const RUN = randomUUID().slice(0, 8);
const TOPIC = `ml-run.test.restart.${RUN}`;

async function kafka(script: 'up.sh' | 'down.sh'): Promise<void> {
  await promisify(execFile)(path.join(KAFKA_SCRIPTS, script), [], { timeout: 240_000 });
}

type Revoked = BusEvent & { tokenHash: string; n: number };
const revoked = (n: number): Revoked => ({ type: 'token.revoked', tokenHash: `h${n}`, n });

describe(`${KafkaEventBus.name} across a broker restart`, () => {
  const buses: KafkaEventBus[] = [];
  const received: number[] = [];
  let gaps = 0;
  let publisher: KafkaEventBus;
  let impatient: KafkaEventBus;

  function bus(options: Partial<KafkaEventBusOptions>): KafkaEventBus {
    const created = new KafkaEventBus({
      brokers: BROKERS,
      sasl: SASL,
      clientId: 'kafka-bus-restart-int-spec',
      groupId: `ml-run.test.restart.${RUN}-${buses.length}`,
      topics: [],
      ...options,
    });
    buses.push(created);
    return created;
  }

  beforeAll(async () => {
    for (const level of ['log', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
    await kafka('up.sh');
    const consumer = bus({ topics: [TOPIC] });
    consumer.subscribe(TOPIC, (event: Revoked) => void received.push(event.n), {
      onGap: () => void gaps++,
    });
    publisher = bus({ publishTimeoutMs: 180_000 });
    impatient = bus({ publishTimeoutMs: 2000 });
    await Promise.all(buses.map((created) => created.start()));
    await publisher.publish(TOPIC, revoked(1));
    await impatient.publish(TOPIC, revoked(2));
    await until(() => received.length === 2, 15_000);
  }, 300_000);

  afterAll(async () => {
    await Promise.allSettled(buses.map((created) => created.close()));
    await kafka('up.sh');
    jest.restoreAllMocks();
  }, 300_000);

  it('rejects publish() within publishTimeoutMs while Kafka is down', async () => {
    await kafka('down.sh');

    const startedAt = Date.now();
    const error = await impatient.publish(TOPIC, revoked(3)).catch((e: unknown) => e);

    expect(Date.now() - startedAt).toBeLessThan(2500);
    expect(error).toMatchObject({ code: KafkaBusErrorCode.PublishTimeout });
  }, 60_000);

  it('delivers an event published while Kafka is down once it is back, and reports a gap', async () => {
    await kafka('down.sh');
    const outcome = publisher.publish(TOPIC, revoked(4)).then(
      () => 'acknowledged',
      (error: unknown) => error,
    );

    await kafka('up.sh');

    await expect(outcome).resolves.toBe('acknowledged');
    await until(() => received.includes(4), 60_000);
    expect(gaps).toBeGreaterThanOrEqual(1);
    await publisher.publish(TOPIC, revoked(5));
    await until(() => received.includes(5), 30_000);
    expect(received.filter((n) => n !== 3)).toEqual([1, 2, 4, 5]);
    // Creating a topic needs the admin client, which must have reconnected too.
    await expect(publisher.publish(`${TOPIC}.new`, revoked(6))).resolves.toBeUndefined();
  }, 300_000);
});
