import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';

import { until } from '@ml-run/async/testing';
import type { BusEvent } from '@ml-run/event-bus';
import { realKafka } from '@ml-run/process-testing';

import { KafkaEventBus } from './kafka-event-bus';

// Needs the broker of tools/services/kafka/up.sh (SASL/SCRAM, StandardAuthorizer, ACLs that
// give ml-run.* to the platform's principal only). Each attacker is a plain kafkajs client
// on the same machine, as a model process or any co-located program would be; each
// refusal is paired with the same request from the platform's principal, accepted.
const { brokers, sasl: PLATFORM } = realKafka();
const RUN = randomUUID().slice(0, 8);
const MODELS = `ml-run.test.models.${RUN}`;
const TOKENS = `ml-run.test.tokens.${RUN}`;
type Tagged = BusEvent & { n: string };
const KAFKA_SCRIPTS = path.resolve(__dirname, '../../../../../tools/services/kafka');
// A principal the broker knows but the ACLs do not name: what any other user would be.
const INTRUDER: SASLOptions = {
  mechanism: 'scram-sha-512',
  username: `intruder-${RUN}`,
  password: `intruder-password-${RUN}`,
};
const FAIL_FAST = { retries: 0, initialRetryTime: 100 };

const forgedDeployment = {
  type: 'deployment.changed',
  deployment: {
    name: 'iris',
    version: '1.0.0',
    state: 'ready',
    replicaStatus: [{ id: 'x', url: 'http://127.0.0.1:18999', state: 'ready', restarts: 0 }],
  },
  at: new Date().toISOString(),
};
const forgedRevocation = { type: 'user.tokens-revoked', sub: 'bob', notBefore: '2999-01-01' };

/** Sends one message as `sasl` (undefined: anonymous); answers the error, or 'accepted'. */
async function send(topic: string, event: object, sasl?: SASLOptions): Promise<string> {
  const kafka = new Kafka({
    brokers,
    ...(sasl && { sasl }),
    clientId: 'attacker',
    connectionTimeout: 3000,
    retry: FAIL_FAST,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: true, retry: FAIL_FAST });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ value: JSON.stringify(event) }] });
    return 'accepted';
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

describe('Kafka broker against co-located clients', () => {
  let platform: KafkaEventBus;
  // Each test's event carries a tag `n`, so the consumer's log says who got through.
  const heard: string[] = [];

  beforeAll(async () => {
    for (const level of ['log', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
    if (!PLATFORM)
      throw new Error('no platform credentials: start Kafka with tools/services/kafka/up.sh');
    // A platform consumer on both topics: whatever the broker lets through, it hears.
    platform = new KafkaEventBus({
      brokers,
      sasl: PLATFORM,
      clientId: 'kafka-broker-security-int-spec',
      groupId: `ml-run.test.security.${RUN}`,
      topics: [MODELS, TOKENS],
    });
    for (const topic of [MODELS, TOKENS])
      platform.subscribe(topic, (e: Tagged) => void heard.push(e.n));
    await platform.start();
  });
  afterAll(async () => {
    await platform?.close();
    jest.restoreAllMocks();
  });

  it('takes a deployment.changed from the platform principal (the control)', async () => {
    expect(await send(MODELS, { ...forgedDeployment, n: 'platform' }, PLATFORM)).toBe('accepted');
    await until(() => heard.includes('platform'), 15_000);
  });

  it('refuses a forged deployment.changed from an anonymous client', async () => {
    expect(await send(MODELS, { ...forgedDeployment, n: 'anonymous' })).not.toBe('accepted');
  });

  it('refuses a forged user.tokens-revoked from an anonymous client', async () => {
    expect(await send(TOKENS, { ...forgedRevocation, n: 'anonymous' })).not.toBe('accepted');
  });

  it('refuses the platform user with a guessed password', async () => {
    // Built field by field: kafkajs caches an authenticationProvider holding the password on
    // the options object it was given, so a spread copy of PLATFORM would log in as PLATFORM.
    const guess: SASLOptions = {
      mechanism: 'scram-sha-512',
      username: PLATFORM?.username ?? 'ml-run-platform',
      password: 'guessed-password',
    };
    expect(await send(TOKENS, { ...forgedRevocation, n: 'guessed' }, guess)).toMatch(/SASL|auth/i);
  });

  it('refuses an authenticated user the ACLs do not name (StandardAuthorizer, no ACL: deny)', async () => {
    // Added as the broker's own user through up.sh's admin client settings.
    const {
      brokers: [broker = ''],
      adminConfig,
    } = realKafka();
    await promisify(execFile)(
      path.join(KAFKA_SCRIPTS, 'run-class.sh'),
      [
        'kafka.admin.ConfigCommand',
        '--bootstrap-server',
        broker,
        '--command-config',
        adminConfig,
        '--alter',
        '--entity-type',
        'users',
        '--entity-name',
        INTRUDER.username,
        '--add-config',
        `SCRAM-SHA-512=[password=${INTRUDER.password}]`,
      ],
      { timeout: 60_000 },
    );
    // SCRAM users reach the listener through metadata: wait until the login works.
    let answer = '';
    const deadline = Date.now() + 15_000;
    do answer = await send(TOKENS, { ...forgedRevocation, n: 'intruder' }, { ...INTRUDER });
    while (/SASL/.test(answer) && Date.now() < deadline);
    expect(answer).toMatch(/not authorized|authoriz/i);
  }, 90_000);

  it('delivered none of the refused events to the platform consumer', async () => {
    expect(await send(TOKENS, { ...forgedRevocation, n: 'platform-last' }, PLATFORM)).toBe(
      'accepted',
    );
    // In order on one partition each: once the last accepted one is heard, all earlier are.
    await until(() => heard.includes('platform-last'), 15_000);
    expect(heard).toEqual(['platform', 'platform-last']);
  });
});
