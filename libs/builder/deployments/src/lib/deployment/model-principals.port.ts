/** A model's own Kafka access: brokers and its principal (never the platform's). */
export type ModelKafkaAccess = { brokers: string; username: string; password: string };

/**
 * Gives each deployed model a Kafka principal confined to its own topics (cluster mode's
 * asynchronous predictions and stream scoring). Provisioning is idempotent: it runs at
 * every deployment, and a restarted builder derives the same credential.
 */
export interface ModelPrincipals {
  provision(model: string): Promise<ModelKafkaAccess>;
}

export const MODEL_PRINCIPALS = Symbol('MODEL_PRINCIPALS');

/** The variables a replica reads its Kafka access from (the wrapper's config). */
export function replicaKafkaEnvOf(access: ModelKafkaAccess): Record<string, string> {
  return {
    MLRUN_KAFKA_BROKERS: access.brokers,
    MLRUN_KAFKA_MODEL_USERNAME: access.username,
    MLRUN_KAFKA_MODEL_PASSWORD: access.password,
  };
}
