import { ConfigError, loadConfig } from '@ml-run/config';

import {
  kafkaBrokersOf,
  kafkaConfigShape,
  kafkaSaslOf,
  perInstanceGroupId,
} from './kafka-bus.config';

function issuesOf(env: Record<string, string>) {
  try {
    loadConfig(kafkaConfigShape, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
  }
  throw new Error('expected a ConfigError');
}

describe('kafkaConfigShape', () => {
  it('leaves Kafka off when MLRUN_KAFKA_BROKERS is unset or empty', () => {
    for (const env of [{}, { MLRUN_KAFKA_BROKERS: '' }]) {
      const sut = loadConfig(kafkaConfigShape, env);
      expect(kafkaBrokersOf(sut)).toBeUndefined();
      expect(sut.MLRUN_KAFKA_PUBLISH_TIMEOUT_MS).toBe(30_000);
    }
  });

  it('reads a comma-separated broker list', () => {
    const sut = loadConfig(kafkaConfigShape, {
      MLRUN_KAFKA_BROKERS: ' kafka-0.kafka:9092, 10.0.0.7:19092 ',
      MLRUN_KAFKA_PUBLISH_TIMEOUT_MS: '5000',
    });
    expect(kafkaBrokersOf(sut)).toEqual(['kafka-0.kafka:9092', '10.0.0.7:19092']);
    expect(sut.MLRUN_KAFKA_PUBLISH_TIMEOUT_MS).toBe(5000);
  });

  it.each([
    'kafka',
    'kafka:',
    'kafka:0',
    'kafka:70000',
    'kafka:9092,',
    'http://kafka:9092',
    ':9092',
  ])('names MLRUN_KAFKA_BROKERS when it is %p', (value) => {
    expect(issuesOf({ MLRUN_KAFKA_BROKERS: value })).toEqual([
      {
        variable: 'MLRUN_KAFKA_BROKERS',
        message: `must be a comma-separated list of host:port, e.g. kafka-0:9092,kafka-1:9092 (got "${value}")`,
      },
    ]);
  });

  it('names MLRUN_KAFKA_PUBLISH_TIMEOUT_MS when it is not a sensible number', () => {
    const [issue] = issuesOf({ MLRUN_KAFKA_PUBLISH_TIMEOUT_MS: '0' });
    expect(issue?.variable).toBe('MLRUN_KAFKA_PUBLISH_TIMEOUT_MS');
  });
});

describe(kafkaSaslOf.name, () => {
  const PASSWORD = 'a-generated-password-0123456789';

  it('connects anonymously when no username is set', () => {
    expect(kafkaSaslOf(loadConfig(kafkaConfigShape, {}))).toBeUndefined();
  });

  it('uses SCRAM-SHA-512 unless told otherwise', () => {
    const env = { MLRUN_KAFKA_USERNAME: 'ml-run-platform', MLRUN_KAFKA_PASSWORD: PASSWORD };
    expect(kafkaSaslOf(loadConfig(kafkaConfigShape, env))).toEqual({
      mechanism: 'scram-sha-512',
      username: 'ml-run-platform',
      password: PASSWORD,
    });
    const plain = { ...env, MLRUN_KAFKA_SASL_MECHANISM: 'scram-sha-256' };
    expect(kafkaSaslOf(loadConfig(kafkaConfigShape, plain))).toMatchObject({
      mechanism: 'scram-sha-256',
    });
  });

  it('refuses half a credential, naming the missing variable and never the password', () => {
    expect(() =>
      kafkaSaslOf(loadConfig(kafkaConfigShape, { MLRUN_KAFKA_PASSWORD: PASSWORD })),
    ).toThrow(/^invalid configuration: MLRUN_KAFKA_USERNAME must be set together/);
    expect(() =>
      kafkaSaslOf(loadConfig(kafkaConfigShape, { MLRUN_KAFKA_USERNAME: 'ml-run-platform' })),
    ).toThrow(/MLRUN_KAFKA_PASSWORD must be set together/);
  });

  it('names an unknown mechanism', () => {
    const [issue] = issuesOf({ MLRUN_KAFKA_SASL_MECHANISM: 'gssapi' });
    expect(issue?.variable).toBe('MLRUN_KAFKA_SASL_MECHANISM');
  });
});

describe(perInstanceGroupId.name, () => {
  it('gives each process of a service its own group', () => {
    expect(perInstanceGroupId('router')).toMatch(
      new RegExp(`^ml-run\\.router\\..+-${process.pid}$`),
    );
  });
});
