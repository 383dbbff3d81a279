import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

import { ContractError, ContractErrorCode } from '../contract.errors';
import { toManifestIssues } from './manifest-issues';
import { MANIFEST_FILE, manifestSchema, type Manifest } from './manifest.schema';

/**
 * Validates an already-parsed manifest value and applies the defaults.
 * Throws `ContractError` `MANIFEST_INVALID` whose `details` list every problem and whose
 * message names the first one and what to fix.
 *
 * @example
 * ```ts
 * const manifest = validateManifest({ name: 'iris', runtime: 'python', entry: 'model.py', codeVersion: '1.2.0' });
 * manifest.coefficients.path; // 'coefficients/'
 * ```
 */
export function validateManifest(value: unknown): Manifest {
  const result = manifestSchema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const details = toManifestIssues(result.error.issues);
  const more = details.length - 1;
  const suffix = more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : '';
  throw new ContractError(
    ContractErrorCode.ManifestInvalid,
    `${details[0].message}${suffix}`,
    details,
  );
}

function yamlError(reason: string): ContractError {
  // The yaml library's first line names the problem and position; drop its API advice.
  const firstLine = reason
    .split('\n')[0]
    .replace(/; please use YAML\.\w+\(\)/, '')
    .replace(/:$/, '');
  return new ContractError(
    ContractErrorCode.ManifestYamlInvalid,
    `${MANIFEST_FILE} is not valid YAML: ${firstLine}; fix the syntax ` +
      '(indent with spaces, one key per line, quote values that contain ": " or " #")',
  );
}

/**
 * Parses the text of `ml-run.yaml` (YAML 1.2 core schema, unique keys, one document),
 * validates it and applies the defaults.
 * Throws `ContractError` `MANIFEST_YAML_INVALID` or `MANIFEST_INVALID`.
 *
 * @example
 * ```ts
 * const manifest = parseManifest('name: iris\nruntime: python\nentry: model.py\ncodeVersion: 1.2.0\n');
 * manifest.replicas; // 1
 * ```
 */
export function parseManifest(yamlText: string): Manifest {
  const doc = parseDocument(yamlText, { version: '1.2', schema: 'core', uniqueKeys: true });
  if (doc.errors.length > 0) throw yamlError(doc.errors[0].message);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw yamlError(err instanceof Error ? err.message : String(err));
  }
  return validateManifest(value);
}

/**
 * Reads and validates `<modelDir>/ml-run.yaml`.
 * Throws `ContractError` `MANIFEST_MISSING`, `MANIFEST_YAML_INVALID` or `MANIFEST_INVALID`.
 *
 * @example
 * ```ts
 * const manifest = await readManifestFile('./examples/iris-python');
 * console.log(manifest.name, manifest.codeVersion);
 * ```
 */
export async function readManifestFile(modelDir: string): Promise<Manifest> {
  const file = join(modelDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') throw err;
    throw new ContractError(
      ContractErrorCode.ManifestMissing,
      `no ${MANIFEST_FILE} in ${modelDir}: add one at the root of the model folder ` +
        '(name, runtime, entry and codeVersion are required)',
    );
  }
  return parseManifest(text);
}
