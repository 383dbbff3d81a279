import type { SASLOptions } from 'kafkajs';

import { ConfigError, splitHostPortList } from '@ml-run/config';
import { isStreamTopicOf, streamTopicPrefixOf } from '@ml-run/prediction-contract';

import type { ModelWrapperConfig } from '../model-wrapper.module';

/** How this replica takes work from Kafka, when it does. */
export type AsyncPredictionSettings = {
  brokers: string[];
  sasl: SASLOptions;
  maxInFlight: number;
  commitIntervalMs: number;
  /** `ml-run stream <model> --from --to`: both in the model's own namespace. */
  stream?: { from: string; to: string };
};

export const ASYNC_PREDICTION_SETTINGS = Symbol('ASYNC_PREDICTION_SETTINGS');

/**
 * The settings from config, or undefined when Kafka is not configured. Bad or partial
 * settings fail start, naming the variable: a replica that silently answers nothing is
 * worse than one that does not start.
 */
export function asyncPredictionSettingsOf(
  config: ModelWrapperConfig,
  model: string,
): AsyncPredictionSettings | undefined {
  const { MLRUN_KAFKA_BROKERS: brokers, MLRUN_STREAM_FROM: from, MLRUN_STREAM_TO: to } = config;
  const username = config.MLRUN_KAFKA_MODEL_USERNAME;
  const password = config.MLRUN_KAFKA_MODEL_PASSWORD;
  if (brokers === undefined && username === undefined && from === undefined && to === undefined) {
    return undefined;
  }
  if (brokers === undefined || username === undefined || password === undefined) {
    throw refused(
      'MLRUN_KAFKA_MODEL_USERNAME',
      'asynchronous predictions and streams need MLRUN_KAFKA_BROKERS, MLRUN_KAFKA_MODEL_USERNAME and MLRUN_KAFKA_MODEL_PASSWORD together (the builder sets them)',
    );
  }
  const settings: AsyncPredictionSettings = {
    brokers: splitHostPortList(brokers),
    sasl: { mechanism: 'scram-sha-512', username, password },
    maxInFlight: config.MLRUN_ASYNC_MAX_INFLIGHT,
    commitIntervalMs: config.MLRUN_ASYNC_COMMIT_INTERVAL_MS,
  };
  if (from === undefined && to === undefined) return settings;
  for (const [variable, topic] of [
    ['MLRUN_STREAM_FROM', from],
    ['MLRUN_STREAM_TO', to],
  ] as const) {
    if (topic === undefined || !isStreamTopicOf(model, topic)) {
      throw refused(
        variable,
        `must be a topic in this model's namespace: ${streamTopicPrefixOf(model)}<name> ([a-zA-Z0-9._-]), and both MLRUN_STREAM_FROM and MLRUN_STREAM_TO must be set`,
      );
    }
  }
  if (from === to) throw refused('MLRUN_STREAM_TO', 'must differ from MLRUN_STREAM_FROM');
  return { ...settings, stream: { from: from as string, to: to as string } };
}

function refused(variable: string, message: string): ConfigError {
  return new ConfigError([{ variable, message }]);
}
