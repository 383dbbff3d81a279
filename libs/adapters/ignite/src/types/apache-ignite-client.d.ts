// The few calls of apache-ignite-client 1.0.0 (which ships no types) that ML-RUN uses,
// checked against node_modules/apache-ignite-client/lib.
declare module 'apache-ignite-client' {
  class IgniteClient {
    /**
     * `state` is one of IgniteClient.STATE; `reason` says why, when known. Declared as text
     * (callers rely on it), but a socket error arrives as the Error object itself.
     */
    constructor(onStateChanged?: (state: number, reason?: string | null) => void);
    static readonly STATE: { DISCONNECTED: 0; CONNECTING: 1; CONNECTED: 2 };
    connect(config: IgniteClient.IgniteClientConfiguration): Promise<void>;
    getCache(name: string): IgniteClient.CacheClient;
    getOrCreateCache(name: string): Promise<IgniteClient.CacheClient>;
    cacheNames(): Promise<string[]>;
    disconnect(): void;
  }

  namespace IgniteClient {
    export class IgniteClientConfiguration {
      constructor(...endpoints: string[]);
      /** Sent at connect when set; the server refuses a wrong one (authentication on). */
      setUserName(userName: string | null): IgniteClientConfiguration;
      setPassword(password: string | null): IgniteClientConfiguration;
    }

    export class CacheEntry {
      getKey(): unknown;
      getValue(): unknown;
    }

    export class Cursor {
      getAll(): Promise<CacheEntry[]>;
      close(): Promise<void>;
    }

    export class SqlFieldsQuery {
      constructor(sql: string);
      setSchema(schema: string): SqlFieldsQuery;
      setArgs(...args: unknown[]): SqlFieldsQuery;
    }

    export class ScanQuery {
      setPageSize(pageSize: number): ScanQuery;
    }

    export class CacheClient {
      setKeyType(type: number): CacheClient;
      setValueType(type: number): CacheClient;
      /** null when the key is absent. */
      get(key: unknown): Promise<unknown>;
      /** Only the keys that exist; `keys` must not be empty. */
      getAll(keys: unknown[]): Promise<CacheEntry[]>;
      put(key: unknown, value: unknown): Promise<void>;
      putIfAbsent(key: unknown, value: unknown): Promise<boolean>;
      replaceIfEquals(key: unknown, value: unknown, newValue: unknown): Promise<boolean>;
      removeKey(key: unknown): Promise<boolean>;
      removeIfEquals(key: unknown, value: unknown): Promise<boolean>;
      removeKeys(keys: unknown[]): Promise<void>;
      getSize(): Promise<number>;
      query(query: ScanQuery | SqlFieldsQuery): Promise<Cursor>;
      clear(): Promise<void>;
    }

    export const ObjectType: { PRIMITIVE_TYPE: { STRING: 9 } };

    export const Errors: {
      IgniteClientError: new (message?: string) => Error;
      /** The server refused the request (its message says why). */
      OperationError: new (message?: string) => Error;
      /** The client is not connected (connecting, or disconnected). */
      IllegalStateError: new (message?: string) => Error;
      /** The connection dropped with the request in flight. */
      LostConnectionError: new (message?: string) => Error;
    };
  }

  export = IgniteClient;
}

// The internal module patches/apache-ignite-client+1.0.0.patch changes: only what the check
// that the patch is in place reads.
declare module 'apache-ignite-client/lib/internal/ClientSocket' {
  const ClientSocket: { prototype: { _takeWholeResponses?: unknown } };
  export = ClientSocket;
}
