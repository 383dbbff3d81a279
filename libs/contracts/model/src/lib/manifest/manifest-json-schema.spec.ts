import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { manifestJsonSchema } from './manifest-json-schema';
import { MANIFEST_FIELDS, MANIFEST_PATTERNS } from './manifest.rules';
import { manifestSchema } from './manifest.schema';

// The committed copy, for editors and the Python module. Regenerate it with
// `npx nx run model-contract:generate-manifest-schema` (sets MLRUN_WRITE_MANIFEST_SCHEMA=1,
// then runs prettier on the file). The comparison is on parsed JSON, so formatting is free.
const SCHEMA_FILE = join(__dirname, '..', '..', '..', 'manifest.schema.json');

type Properties = Record<string, { pattern?: string; default?: unknown; properties?: Properties }>;

describe('manifestJsonSchema', () => {
  const properties = manifestJsonSchema['properties'] as Properties;

  it('equals the committed manifest.schema.json', () => {
    if (process.env['MLRUN_WRITE_MANIFEST_SCHEMA'] === '1') {
      writeFileSync(SCHEMA_FILE, `${JSON.stringify(manifestJsonSchema, null, 2)}\n`);
    }
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(manifestJsonSchema);
  });

  it('carries the shared patterns', () => {
    expect(properties['name'].pattern).toBe(MANIFEST_PATTERNS.name);
    expect(properties['codeVersion'].pattern).toBe(MANIFEST_PATTERNS.codeVersion);
    expect(properties['entry'].pattern).toBe(MANIFEST_PATTERNS.bundlePath);
  });

  it('keeps defaults that sit on transformed fields', () => {
    expect(properties['resources'].properties?.['cpu'].default).toBe('500m');
    expect(properties['env'].default).toEqual({});
  });

  it('lists the fields the schema allows, in schema order', () => {
    expect(Object.keys(properties)).toEqual(MANIFEST_FIELDS['']);
    for (const parent of ['coefficients', 'resources', 'selfTest']) {
      expect(Object.keys(properties[parent].properties ?? {})).toEqual(MANIFEST_FIELDS[parent]);
    }
    expect(Object.keys(manifestSchema.shape)).toEqual(MANIFEST_FIELDS['']);
  });
});
