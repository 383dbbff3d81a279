import { logLevel } from 'kafkajs';

import { nestLogCreator } from './kafka-log-creator';

describe(nestLogCreator.name, () => {
  const sink = { error: jest.fn(), warn: jest.fn(), debug: jest.fn() };
  const log = nestLogCreator(sink)(logLevel.WARN);
  const entry = (level: logLevel, message: string) => ({
    namespace: 'Consumer',
    level,
    label: 'X',
    log: { timestamp: 't', logger: 'kafkajs', message, groupId: 'g' },
  });

  beforeEach(() => jest.clearAllMocks());

  it('logs kafkajs errors as errors, with their fields and without kafkajs bookkeeping', () => {
    log(entry(logLevel.ERROR, 'Crash: KafkaJSConnectionError'));
    expect(sink.error).toHaveBeenCalledWith(
      { kafkajs: 'Consumer', detail: 'Crash: KafkaJSConnectionError', groupId: 'g' },
      'kafka client error',
    );
  });

  it('logs kafkajs warnings as warnings', () => {
    log(entry(logLevel.WARN, 'The group is rebalancing, re-joining'));
    expect(sink.warn).toHaveBeenCalledTimes(1);
  });

  it('keeps the warning that our retry settings cause expectedly out of warn level', () => {
    log(
      entry(
        logLevel.WARN,
        'Limiting retries for the idempotent producer may invalidate EoS guarantees',
      ),
    );
    expect(sink.warn).not.toHaveBeenCalled();
    expect(sink.debug).toHaveBeenCalledTimes(1);
  });
});
