/**
 * Kafka names of one model's asynchronous predictions. Everything a model's replicas may
 * touch starts with a name derived from the model, so one prefixed ACL per kind confines
 * its principal to its own topics and group (model names are [a-z0-9-], never '.').
 */

/** Requests accepted by a router, keyed by prediction id; the model's replicas consume it. */
export function predictionRequestTopicOf(model: string): string {
  return `ml-run.predict.${model}`;
}

/** Outcomes published by the model's replicas, keyed by prediction id; routers consume it. */
export function predictionOutcomeTopicOf(model: string): string {
  return `ml-run.predict-outcomes.${model}`;
}

/** Every router's outcome consumer subscribes to this pattern (all models' outcome topics). */
export const PREDICTION_OUTCOME_TOPIC_PATTERN = /^ml-run\.predict-outcomes\.[a-z0-9-]+$/;

/** The consumer group all replicas of one model share: each request goes to one replica. */
export function predictionGroupOf(model: string): string {
  return `ml-run.model.${model}`;
}

/** Topic namespace of `ml-run stream <model>`: --from and --to must start with it. */
export function streamTopicPrefixOf(model: string): string {
  return `ml-run.stream.${model}.`;
}

/** True when `topic` lies in the model's own stream namespace (and is a legal topic name). */
export function isStreamTopicOf(model: string, topic: string): boolean {
  const prefix = streamTopicPrefixOf(model);
  return (
    topic.startsWith(prefix) &&
    topic.length > prefix.length &&
    topic.length <= 249 &&
    /^[a-zA-Z0-9._-]+$/.test(topic)
  );
}

/** The Kafka principal (SCRAM user) the replicas of one model consume and produce as. */
export function modelPrincipalOf(model: string): string {
  return `model-${model}`;
}
