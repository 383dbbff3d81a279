import { randomBytes } from 'node:crypto';

/** A model's own Kafka access: brokers and its principal (never the platform's). */
export type ModelKafkaAccess = { brokers: string; username: string; password: string };

/**
 * Gives each deployed model a Kafka principal confined to its own topics (cluster mode's
 * asynchronous predictions and stream scoring), and takes it away when the model's last
 * deployment goes.
 */
export interface ModelPrincipals {
  /**
   * Creates or refreshes the principal; idempotent for one generation. The password is
   * derived from the model name and `generation`, so a restarted builder hands replicas
   * the same credential, and another generation makes the old password worthless.
   */
  provision(model: string, generation: string): Promise<ModelKafkaAccess>;
  /** Deletes the principal's credential and every ACL of it; idempotent. */
  revoke(model: string): Promise<void>;
  /** Models whose principal is still there (not revoked, or a revocation that failed). */
  provisionedModels(): Promise<string[]>;
}

export const MODEL_PRINCIPALS = Symbol('MODEL_PRINCIPALS');

/**
 * A new principal generation: 128 random bits, base64url. Drawn when a model has no
 * deployment left to share one with (its first, or its first after all went).
 */
export function newPrincipalGeneration(): string {
  return randomBytes(16).toString('base64url');
}

/** The variables a replica reads its Kafka access from (the wrapper's config). */
export function replicaKafkaEnvOf(access: ModelKafkaAccess): Record<string, string> {
  return {
    MLRUN_KAFKA_BROKERS: access.brokers,
    MLRUN_KAFKA_MODEL_USERNAME: access.username,
    MLRUN_KAFKA_MODEL_PASSWORD: access.password,
  };
}
