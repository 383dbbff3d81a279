import { z } from 'zod';

import {
  MANIFEST_DEFAULTS as D,
  MANIFEST_PATTERNS as P,
  MANIFEST_FIELD_RULES as R,
} from './manifest.rules';

/**
 * File name of the manifest, at the root of every bundle and model directory.
 *
 * @example
 * ```ts
 * const text = await readFile(join(modelDir, MANIFEST_FILE), 'utf8');
 * ```
 */
export const MANIFEST_FILE = 'ml-run.yaml';

/** The runtimes a manifest can name (`runtime:`): the language of the model's entry. */
export const RUNTIME_KINDS = ['python', 'node', 'r'] as const;
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];

const pattern = (source: string) => new RegExp(source);
const bundlePath = z.string().regex(pattern(P.bundlePath));
const count = (min: number, max?: number) =>
  max === undefined ? z.int().min(min) : z.int().min(min).max(max);

const coefficients = z
  .strictObject({
    path: bundlePath.default(D.coefficientsPath).describe(R['coefficients.path']),
    version: z
      .string()
      .regex(pattern(P.coefficientsVersion))
      .optional()
      .describe(R['coefficients.version']),
  })
  .default({ path: D.coefficientsPath })
  .describe('Where the trained coefficients are; their sha256 digest is the coefficients version');

const resources = z
  .strictObject({
    cpu: z
      .union([z.string().regex(pattern(P.cpu)), z.number().positive()])
      .transform(String)
      .default(D.cpu)
      .describe(R['resources.cpu']),
    memory: z.string().regex(pattern(P.memory)).default(D.memory).describe(R['resources.memory']),
    gpu: count(0).default(D.gpu).describe(R['resources.gpu']),
  })
  .default({ cpu: D.cpu, memory: D.memory, gpu: D.gpu })
  .describe('Per-replica resources; cpu is normalised to a string');

const selfTest = z
  .strictObject({
    input: z.string().describe(R['selfTest.input']),
    expectOutput: z.string().optional().describe(R['selfTest.expectOutput']),
  })
  .optional()
  .describe('A request predict must answer before the replica reports ready');

const dependencies = z
  .strictObject({
    sourceBuilds: z.boolean().optional().describe(R['dependencies.sourceBuilds']),
  })
  .optional()
  .describe(
    'How the build installs requirements.txt or package.json: wheels only and no npm ' +
      'install scripts unless sourceBuilds is true',
  );

const r = z
  .strictObject({
    packages: z
      .array(z.string().regex(pattern(P.rPackage)))
      .default([])
      .describe(R['r.packages']),
    minVersion: z.string().regex(pattern(P.rVersion)).optional().describe(R['r.minVersion']),
  })
  .optional()
  .describe('What an R model needs from R: its Debian packages and the oldest R it runs on');

const env = z
  .record(
    z.string().regex(pattern(P.envName)),
    z.union([z.string(), z.number(), z.boolean()]).transform(String),
  )
  .default({})
  .describe('Handed to init as ctx.config; values become strings');

const entryPattern = {
  python: pattern(P.pythonEntry),
  node: pattern(P.nodeEntry),
  r: pattern(P.rEntry),
} as const;

/**
 * The zod schema of `ml-run.yaml`: unknown keys are rejected, defaults applied. Prefer
 * `parseManifest` / `validateManifest`, which turn zod issues into messages that say what
 * to fix.
 *
 * @example
 * ```ts
 * const result = manifestSchema.safeParse({ name: 'iris', runtime: 'python', entry: 'model.py', codeVersion: '1.2.0' });
 * if (result.success) result.data.replicas; // 1
 * ```
 */
export const manifestSchema = z
  .strictObject({
    name: z.string().regex(pattern(P.name)).describe(R['name']),
    runtime: z.enum(RUNTIME_KINDS).describe(R['runtime']),
    entry: bundlePath.describe(R['entry']),
    codeVersion: z.string().regex(pattern(P.codeVersion)).describe(R['codeVersion']),
    coefficients,
    resources,
    replicas: count(1, 64).default(D.replicas).describe(R['replicas']),
    initTimeoutSeconds: count(1, 3600)
      .default(D.initTimeoutSeconds)
      .describe(R['initTimeoutSeconds']),
    selfTest,
    dependencies,
    r,
    env,
  })
  .superRefine((manifest, ctx) => {
    if (!entryPattern[manifest.runtime].test(manifest.entry)) {
      ctx.addIssue({ code: 'custom', path: ['entry'], input: manifest.entry, message: R['entry'] });
    }
    if (manifest.r !== undefined && manifest.runtime !== 'r') {
      ctx.addIssue({ code: 'custom', path: ['r'], input: manifest.r, message: R['r'] });
    }
  })
  .describe('ML-RUN model manifest (ml-run.yaml)');

/**
 * A validated manifest with every default applied (the output of `parseManifest`).
 *
 * @example
 * ```ts
 * const manifest: Manifest = await readManifestFile('./iris');
 * manifest.resources.cpu; // '500m' unless set
 * ```
 */
export type Manifest = z.output<typeof manifestSchema>;

/**
 * What an author may write in `ml-run.yaml` (optional fields may be left out).
 *
 * @example
 * ```ts
 * const input: ManifestInput = { name: 'iris', runtime: 'python', entry: 'model.py', codeVersion: '1.2.0' };
 * ```
 */
export type ManifestInput = z.input<typeof manifestSchema>;
