/**
 * Structured logger handed to a model: a lower-case event phrase, facts in `fields`.
 * Lines carry the model name, version and replica.
 *
 * @example
 * ```ts
 * ctx.logger.info('coefficients loaded', { files: 3, ms: 120 });
 * ```
 */
export type ModelLogger = {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
};

/**
 * The result of a SQL fields query (`cache.query(new SqlFieldsQuery(...))`).
 *
 * @example
 * ```ts
 * const rows = await cursor.getAll(); // [['C0001', 42], ...], one array per row
 * ```
 */
export type ModelIgniteCursor = {
  getAll(): Promise<unknown[][]>;
  hasMore(): boolean;
  getValue(): Promise<unknown[]>;
  getFieldNames(): string[];
};

/**
 * A SQL fields query of `apache-ignite-client`; build it with the class the client carries,
 * `ctx.ignite.constructor.SqlFieldsQuery`.
 *
 * @example
 * ```ts
 * const query = new ctx.ignite.constructor.SqlFieldsQuery('SELECT V FROM KV WHERE K = ?')
 *   .setArgs('a')
 *   .setSchema('PUBLIC');
 * ```
 */
export type ModelSqlFieldsQuery = {
  setArgs(...args: unknown[]): ModelSqlFieldsQuery;
  setSchema(schema: string): ModelSqlFieldsQuery;
  setIncludeFieldNames(include: boolean): ModelSqlFieldsQuery;
};

/**
 * One cache of the Ignite cluster (key-value, and SQL through `query`).
 *
 * @example
 * ```ts
 * const cache = await ctx.ignite.getOrCreateCache('my-model-state');
 * await cache.put('threshold', 0.7);
 * const threshold = await cache.get('threshold'); // 0.7
 * ```
 */
export type ModelIgniteCache = {
  get(key: unknown): Promise<unknown>;
  put(key: unknown, value: unknown): Promise<void>;
  containsKey(key: unknown): Promise<boolean>;
  removeKey(key: unknown): Promise<boolean>;
  query(query: ModelSqlFieldsQuery): Promise<ModelIgniteCursor>;
};

/**
 * What a node model gets as `ctx.ignite`: an `IgniteClient` of `apache-ignite-client`
 * 1.0.0 (thin client protocol 1.2), connected by the wrapper to `MLRUN_MODEL_IGNITE_ENDPOINTS`
 * before `init` and disconnected at shutdown; after a lost connection the wrapper
 * reconnects it. Typed here by the calls models use most; the object is the package's
 * whole client. The package's classes are static properties of the client's class
 * (`ctx.ignite.constructor.SqlFieldsQuery`, `.ObjectType`, `.CacheConfiguration`): use
 * these, not a copy of `apache-ignite-client` in the bundle, whose classes the client
 * would reject. SQL needs an existing cache: a table's is `SQL_<SCHEMA>_<TABLE>`.
 *
 * @example
 * ```ts
 * const { SqlFieldsQuery } = ctx.ignite.constructor;
 * const cache = ctx.ignite.getCache('SQL_PUBLIC_CUSTOMER_AGGREGATES');
 * const cursor = await cache.query(
 *   new SqlFieldsQuery('SELECT TXN_COUNT FROM CUSTOMER_AGGREGATES WHERE CUSTOMER_ID = ?')
 *     .setArgs('C0001')
 *     .setSchema('PUBLIC'),
 * );
 * const rows = await cursor.getAll(); // [[42]], or [] for an unknown customer
 * ```
 */
export type ModelIgniteClient = {
  getCache(name: string): ModelIgniteCache;
  getOrCreateCache(name: string): Promise<ModelIgniteCache>;
  getCacheNames(): Promise<string[]>;
  /** The client's class, which carries the package's exports. */
  readonly constructor: { SqlFieldsQuery: new (sql: string) => ModelSqlFieldsQuery };
};

/**
 * What `init(ctx)` receives, once per replica, before it reports ready.
 *
 * @example
 * ```ts
 * async function init(ctx: ModelContext) {
 *   const weights = JSON.parse(await readFile(join(ctx.coefficientsDir, 'weights.json'), 'utf8'));
 *   const threshold = Number(ctx.config.THRESHOLD ?? '0.5');
 *   if (!ctx.ignite) throw new Error('this model needs Ignite: set MLRUN_MODEL_IGNITE_ENDPOINTS');
 *   ctx.logger.info('model ready', { threshold });
 * }
 * ```
 */
export type ModelContext = {
  /** Absolute path of the unpacked bundle. */
  modelDir: string;
  /** Absolute path of the manifest's `coefficients.path`. */
  coefficientsDir: string;
  logger: ModelLogger;
  /** The manifest's `env`, values as strings. */
  config: Readonly<Record<string, string>>;
  /**
   * A connected Ignite thin client when the wrapper has `MLRUN_MODEL_IGNITE_ENDPOINTS`; `null`
   * when the deployment has no Ignite (python models get `None`): test it with
   * `if (ctx.ignite)`. When the endpoints are set but unreachable, the replica fails
   * with INIT_FAILED before `init` runs.
   */
  ignite?: ModelIgniteClient | null;
};

/**
 * The module a node model's `entry` exports: optional `init(ctx)` runs once per replica,
 * `predict(input)` once per request with the raw request body; its result is the
 * response body. Both may be async. JSON in/out is the author's choice.
 *
 * @example
 * ```ts
 * // model.js (entry: model.js, runtime: node)
 * const { readFileSync } = require('node:fs');
 * const { join } = require('node:path');
 * let weights;
 *
 * exports.init = (ctx) => {
 *   weights = JSON.parse(readFileSync(join(ctx.coefficientsDir, 'weights.json'), 'utf8'));
 * };
 *
 * exports.predict = (input) => {
 *   const { features } = JSON.parse(input);
 *   const score = features.reduce((sum, x, i) => sum + x * weights[i], 0);
 *   return JSON.stringify({ score });
 * };
 * ```
 */
export type NodeModel = {
  init?(ctx: ModelContext): unknown | Promise<unknown>;
  predict(input: string): string | Promise<string>;
};
