import { loadConfig } from '@ml-run/config';

import { kafkaConfigShape } from './kafka-bus.config';
import { startKafkaBus } from './start-kafka-bus';

describe(startKafkaBus.name, () => {
  it('starts nothing when MLRUN_KAFKA_BROKERS is unset: the app uses the in-process bus', async () => {
    const config = loadConfig(kafkaConfigShape, {});
    await expect(startKafkaBus(config, { service: 'router', topics: [] })).resolves.toBeUndefined();
  });
});
