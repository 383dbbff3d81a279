import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type SASLOptions,
} from 'kafkajs';

import {
  predictionGroupOf,
  predictionOutcomeTopicOf,
  predictionRequestTopicOf,
  streamTopicPrefixOf,
} from '@ml-run/prediction-contract';
import { realKafka } from '@ml-run/process-testing';

import { KafkaPredictionQueue } from '../predictions/kafka-prediction-queue';
import { KafkaModelPrincipals, modelPasswordOf } from './kafka-model-principals';

// Needs the SCRAM broker of tools/services/kafka. The builder's side provisions two models
// with the broker's own (admin) user; then model A's principal plays a hostile model: each
// refusal is paired with what A may do, accepted.
const { brokers, sasl: platform, admin } = realKafka();
const RUN = randomUUID().slice(0, 8);
const A = `sec-${RUN}-a`;
const B = `sec-${RUN}-b`;
const SECRET = `model-secret-${RUN}`;
const FAIL_FAST = { retries: 0, initialRetryTime: 100 };
const generation = () => randomBytes(16).toString('base64url');
const GEN_A = generation();

function principals(): KafkaModelPrincipals {
  return new KafkaModelPrincipals({
    brokers,
    clientId: 'builder-int-spec',
    sasl: admin,
    modelSecret: SECRET,
    numPartitions: 2,
  });
}

function scram(credential: { username: string; password: string }) {
  return { mechanism: 'scram-sha-512' as const, ...credential };
}

// kafkajs reports some refusals only in its debug log (a coordinator lookup refused for a
// group ends as "Failed to find group coordinator"): `heard` collects those errors.
function client(sasl: SASLOptions, heard: string[] = []): Kafka {
  return new Kafka({
    brokers,
    sasl: { ...sasl },
    clientId: 'hostile-model',
    connectionTimeout: 3000,
    retry: FAIL_FAST,
    logLevel: logLevel.DEBUG,
    logCreator: () => (entry) => {
      const error: unknown = entry.log['error'];
      if (error) heard.push(String(error));
    },
  });
}

async function produce(sasl: SASLOptions, topic: string): Promise<string> {
  const producer = client(sasl).producer({ allowAutoTopicCreation: true, retry: FAIL_FAST });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'forged' }] });
    return 'accepted';
  } catch (error) {
    return String(error);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/** Reads one message of `topic` as `groupId`: 'received', or the error that stopped it. */
async function consume(sasl: SASLOptions, topic: string, groupId: string): Promise<string> {
  const heard: string[] = [];
  const consumer = client(sasl, heard).consumer({
    groupId,
    sessionTimeout: 10_000,
    retry: { ...FAIL_FAST, restartOnFailure: async () => false },
  });
  try {
    const answer = await new Promise<string>((resolve) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve(String(payload.error)));
      consumer
        .connect()
        .then(() => consumer.subscribe({ topics: [topic], fromBeginning: true }))
        .then(() => consumer.run({ eachMessage: async () => resolve('received') }))
        .catch((error: unknown) => resolve(String(error)));
    });
    return answer === 'received' ? answer : [answer, ...heard].join(' | ');
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

describe(KafkaModelPrincipals.name, () => {
  let modelA: ReturnType<typeof scram>;

  beforeAll(async () => {
    for (const level of ['log', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
    if (!platform || !admin) throw new Error('start Kafka with tools/services/kafka/up.sh');
    const sut = principals();
    const credential = await sut.provision(A, GEN_A);
    await sut.provision(B, generation());
    await sut.provision(A, GEN_A); // again, as at every deployment: idempotent
    await sut.close();
    expect(credential).toEqual({
      brokers: brokers.join(','),
      username: `model-${A}.${GEN_A}`,
      password: modelPasswordOf(SECRET, A, GEN_A),
    });
    modelA = scram(credential);
    // Each model's request topic holds one request, put there by the platform (a router).
    const queue = new KafkaPredictionQueue({
      brokers,
      clientId: 'router',
      sasl: platform,
      numPartitions: 2,
    });
    for (const model of [A, B]) {
      await queue.enqueue({
        id: `${model}-1`,
        model,
        input: '1',
        acceptedAt: new Date().toISOString(),
      });
    }
    await queue.close();
  }, 60_000);
  afterAll(() => jest.restoreAllMocks());

  it('logs the model in with its derived password and consumes its own request topic', async () => {
    expect(await consume(modelA, predictionRequestTopicOf(A), predictionGroupOf(A))).toBe(
      'received',
    );
  }, 30_000);

  it('lets the model publish its outcomes and use its stream namespace', async () => {
    expect(await produce(modelA, predictionOutcomeTopicOf(A))).toBe('accepted');
    const stream = `${streamTopicPrefixOf(A)}out`;
    const admin = client(modelA).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: stream }], waitForLeaders: true });
    await admin.disconnect();
    expect(await produce(modelA, stream)).toBe('accepted');
  }, 30_000);

  it('refuses a wrong password for the model user', async () => {
    const guess = {
      mechanism: 'scram-sha-512' as const,
      username: modelA.username,
      password: 'guess',
    };
    expect(await produce(guess, predictionOutcomeTopicOf(A))).toMatch(/SASL|auth/i);
  }, 30_000);

  it('refuses the model writing requests into its own request topic', async () => {
    expect(await produce(modelA, predictionRequestTopicOf(A))).toMatch(/authoriz/i);
  }, 30_000);

  it('refuses the model on another model’s request and outcome topics', async () => {
    expect(await consume(modelA, predictionRequestTopicOf(B), predictionGroupOf(A))).toMatch(
      /authoriz|not exist|unknown/i,
    );
    expect(await produce(modelA, predictionOutcomeTopicOf(B))).toMatch(/authoriz/i);
  }, 30_000);

  it('refuses the model on the platform’s topics', async () => {
    expect(await produce(modelA, 'ml-run.tokens')).toMatch(/authoriz/i);
    expect(await consume(modelA, 'ml-run.models', predictionGroupOf(A))).toMatch(
      /authoriz|not exist|unknown/i,
    );
  }, 30_000);

  it('refuses the model in another model’s stream namespace', async () => {
    expect(await produce(modelA, `${streamTopicPrefixOf(B)}out`)).toMatch(/authoriz/i);
    expect(
      await consume(modelA, `${streamTopicPrefixOf(B)}out`, `${streamTopicPrefixOf(A)}g`),
    ).toMatch(/authoriz|not exist|unknown/i);
  }, 30_000);

  it('refuses the model in another group', async () => {
    expect(await consume(modelA, predictionRequestTopicOf(A), predictionGroupOf(B))).toMatch(
      /authoriz/i,
    );
    expect(await consume(modelA, predictionRequestTopicOf(A), 'ml-run.router.outcomes')).toMatch(
      /authoriz/i,
    );
  }, 30_000);
});

// The model's life ends: its last deployment goes, then perhaps a model of the same name
// comes. Whoever kept the old password (an old replica's environment, a leaked pod spec)
// must not log in again, nor read the newcomer's requests.
describe(`${KafkaModelPrincipals.name} revocation`, () => {
  const sut = principals();
  const refused = /SASL|auth/i;

  beforeAll(() => {
    for (const level of ['log', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
  });
  afterAll(async () => {
    await sut.close();
    jest.restoreAllMocks();
  });

  /** How many ACLs name the SCRAM user. */
  async function aclsHeldBy(username: string): Promise<number> {
    if (!admin) throw new Error('start Kafka with tools/services/kafka/up.sh');
    const inspector = new Kafka({
      brokers,
      sasl: { ...admin },
      logLevel: logLevel.NOTHING,
    }).admin();
    await inspector.connect();
    try {
      const { resources } = await inspector.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        principal: `User:${username}`,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      return resources.flatMap(({ acls }) => acls).length;
    } finally {
      await inspector.disconnect();
    }
  }

  async function aclsOf(model: string) {
    const inspector = principals();
    try {
      return (await inspector.provisionedModels()).includes(model);
    } finally {
      await inspector.close();
    }
  }

  it('leaves neither the credential nor any ACL of a revoked model, and revokes twice', async () => {
    const model = `sec-${RUN}-gone`;
    const old = scram(await sut.provision(model, generation()));
    expect(await produce(old, predictionOutcomeTopicOf(model))).toBe('accepted');
    expect(await aclsOf(model)).toBe(true);

    await sut.revoke(model);
    await sut.revoke(model); // idempotent: nothing left to delete is done

    expect(await produce(old, predictionOutcomeTopicOf(model))).toMatch(refused);
    expect(await consume(old, predictionRequestTopicOf(model), predictionGroupOf(model))).toMatch(
      refused,
    );
    expect(await aclsOf(model)).toBe(false);
    expect(await aclsHeldBy(old.username)).toBe(0);
  }, 60_000);

  it('refuses the old password once a model of the same name is deployed again', async () => {
    const model = `sec-${RUN}-again`;
    const old = scram(await sut.provision(model, generation()));
    await sut.revoke(model);
    const renewed = scram(await sut.provision(model, generation()));

    expect(renewed.password).not.toBe(old.password);
    expect(await produce(old, predictionOutcomeTopicOf(model))).toMatch(refused);
    expect(await produce(renewed, predictionOutcomeTopicOf(model))).toBe('accepted');
  }, 60_000);

  it('refuses the old password even when the revocation never happened', async () => {
    const model = `sec-${RUN}-stale`;
    const old = scram(await sut.provision(model, generation()));
    const renewed = scram(await sut.provision(model, generation())); // no revoke between

    // A session the old generation opened before keeps its login, not the new ACLs.
    expect(renewed.username).not.toBe(old.username);
    expect(await aclsHeldBy(old.username)).toBe(0);
    expect(await aclsHeldBy(renewed.username)).toBeGreaterThan(0);
    expect(await produce(old, predictionOutcomeTopicOf(model))).toMatch(refused);
    expect(await produce(renewed, predictionOutcomeTopicOf(model))).toBe('accepted');
  }, 60_000);

  it('gives a session the old generation opened before no say over the new generation', async () => {
    const model = `sec-${RUN}-session`;
    const old = scram(await sut.provision(model, generation()));
    const session = client(old).producer({ retry: FAIL_FAST });
    await session.connect();
    const send = () =>
      session
        .send({ topic: predictionOutcomeTopicOf(model), acks: -1, messages: [{ value: 'x' }] })
        .then(() => 'accepted')
        .catch((error: unknown) => String(error));
    try {
      expect(await send()).toBe('accepted');
      await sut.provision(model, generation()); // the model deployed again after a deletion
      // Kafka keeps this connection logged in; the ACLs now name another user.
      expect(await send()).toMatch(/authoriz/i);
    } finally {
      await session.disconnect();
    }
  }, 60_000);
});
