import { loadConfig } from '@ml-run/config';

import { KafkaPredictionOutcomeFeed } from './kafka-prediction-outcome-feed';
import { KafkaPredictionQueue } from './kafka-prediction-queue';
import {
  kafkaPredictionConfigShape,
  kafkaPredictionTransportOf,
} from './kafka-prediction-transport';

describe(kafkaPredictionTransportOf.name, () => {
  it('is undefined without brokers (embedded mode uses the in-process bus)', () => {
    expect(
      kafkaPredictionTransportOf(loadConfig(kafkaPredictionConfigShape, {}), 'router'),
    ).toBeUndefined();
  });

  it('gives the queue and the outcome feed with brokers (nothing connects yet)', () => {
    const config = loadConfig(kafkaPredictionConfigShape, {
      MLRUN_KAFKA_BROKERS: '127.0.0.1:9092',
    });
    const transport = kafkaPredictionTransportOf(config, 'router');
    expect(transport?.queue).toBeInstanceOf(KafkaPredictionQueue);
    expect(transport?.outcomes).toBeInstanceOf(KafkaPredictionOutcomeFeed);
  });

  it('fails start on half a platform credential', () => {
    const config = loadConfig(kafkaPredictionConfigShape, {
      MLRUN_KAFKA_BROKERS: '127.0.0.1:9092',
      MLRUN_KAFKA_USERNAME: 'ml-run-platform',
    });
    expect(() => kafkaPredictionTransportOf(config, 'router')).toThrow(/MLRUN_KAFKA_PASSWORD/);
  });
});
