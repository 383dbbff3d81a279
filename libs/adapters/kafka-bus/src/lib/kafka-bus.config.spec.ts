import { ConfigError, loadConfig } from '@ml-run/config';

import { kafkaBrokersOf, kafkaConfigShape, perInstanceGroupId } from './kafka-bus.config';

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

describe(perInstanceGroupId.name, () => {
  it('gives each process of a service its own group', () => {
    expect(perInstanceGroupId('router')).toMatch(
      new RegExp(`^ml-run\\.router\\..+-${process.pid}$`),
    );
  });
});
