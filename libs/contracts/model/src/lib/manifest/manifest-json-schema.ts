import { z } from 'zod';

import { MANIFEST_PATTERNS } from './manifest.rules';
import { manifestSchema } from './manifest.schema';

type JsonSchema = Record<string, unknown>;

// The entry extension depends on runtime: a zod refinement, so JSON Schema needs if/then.
const entryByRuntime = (runtime: string, entryPattern: string): JsonSchema => ({
  if: { properties: { runtime: { const: runtime } }, required: ['runtime'] },
  then: { properties: { entry: { pattern: entryPattern } } },
});

function buildManifestJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(manifestSchema, {
    io: 'input',
    // zod drops defaults that sit on a transform; ours are valid inputs, so keep them.
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def;
      if (def.type === 'default' && jsonSchema.default === undefined) {
        jsonSchema.default = JSON.parse(JSON.stringify(def.defaultValue));
      }
    },
  }) as JsonSchema;
  return {
    ...generated,
    $id: 'https://ml-run.dev/schemas/v1/ml-run.yaml.json',
    title: 'ml-run.yaml',
    allOf: [
      entryByRuntime('python', MANIFEST_PATTERNS.pythonEntry),
      entryByRuntime('node', MANIFEST_PATTERNS.nodeEntry),
      entryByRuntime('r', MANIFEST_PATTERNS.rEntry),
    ],
  };
}

/**
 * The manifest schema as JSON Schema (draft 2020-12), for editors and other languages.
 * The same document is committed as `libs/contracts/model/manifest.schema.json`.
 *
 * @example
 * ```yaml
 * # yaml-language-server: $schema=./manifest.schema.json
 * name: iris
 * ```
 */
export const manifestJsonSchema: Readonly<JsonSchema> = buildManifestJsonSchema();
