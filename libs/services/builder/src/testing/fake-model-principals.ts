import type { ModelKafkaAccess, ModelPrincipals } from '@ml-run/builder-deployments';

/**
 * What KafkaModelPrincipals does, kept in memory (its security int-spec covers the real
 * broker): the principals there, the generation each was provisioned for, the revocations.
 * It outlives a TestBuilder restart, as Kafka does.
 */
export class FakeModelPrincipals implements ModelPrincipals {
  /** Model -> the generation its credential was last provisioned for. */
  readonly principals = new Map<string, string>();
  readonly revoked: string[] = [];
  /** Set to make revocations fail, as when Kafka is away. */
  revokeFailure: Error | undefined;

  async provision(model: string, generation: string): Promise<ModelKafkaAccess> {
    this.principals.set(model, generation);
    return {
      brokers: '127.0.0.1:9092',
      username: `model-${model}.${generation}`,
      password: `derived-${model}-${generation}`,
    };
  }

  async revoke(model: string): Promise<void> {
    if (this.revokeFailure) throw this.revokeFailure;
    this.principals.delete(model);
    this.revoked.push(model);
  }

  async provisionedModels(): Promise<string[]> {
    return [...this.principals.keys()].sort();
  }
}
