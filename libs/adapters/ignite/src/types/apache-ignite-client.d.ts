// The few calls of apache-ignite-client 1.0.0 (which ships no types) that ML-RUN uses.
declare module 'apache-ignite-client' {
  class IgniteClientConfiguration {
    constructor(...endpoints: string[]);
  }

  class CacheClient {
    put(key: unknown, value: unknown): Promise<void>;
    get(key: unknown): Promise<unknown>;
    clear(): Promise<void>;
  }

  class IgniteClient {
    constructor(onStateChanged?: (state: number, reason?: string) => void);
    static IgniteClientConfiguration: typeof IgniteClientConfiguration;
    connect(config: IgniteClientConfiguration): Promise<void>;
    getCache(name: string): CacheClient;
    getOrCreateCache(name: string): Promise<CacheClient>;
    disconnect(): void;
  }

  export = IgniteClient;
}
