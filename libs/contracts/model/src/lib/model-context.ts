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
 * What `init(ctx)` receives, once per replica, before it reports ready.
 *
 * @example
 * ```ts
 * async function init(ctx: ModelContext) {
 *   const weights = JSON.parse(await readFile(join(ctx.coefficientsDir, 'weights.json'), 'utf8'));
 *   const threshold = Number(ctx.config.THRESHOLD ?? '0.5');
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
  /** A connected Apache Ignite thin client, or null where none is configured (typed later). */
  ignite: unknown | null;
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
