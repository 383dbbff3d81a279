import { RegistryErrorCode, type ModelVersionRecord } from '@ml-run/registry-contract';
import type { RegistryStore } from '@ml-run/registry-store';

import { BuilderError } from '../builder.errors';

const LISTED = 20;

/** "a, b, c" — at most 20 names, then how many more: what exists, for a 404 message. */
export function listing(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

/** A model's versions, or MODEL_NOT_FOUND naming the models that exist. */
export async function requireModel(
  store: RegistryStore,
  name: string,
): Promise<ModelVersionRecord[]> {
  const versions = await store.listVersions(name);
  if (versions.length > 0) return versions;
  throw new BuilderError(
    RegistryErrorCode.ModelNotFound,
    `no model named ${JSON.stringify(name)}; models: ${listing(await store.listModels())}`,
  );
}

/** One version, or MODEL_NOT_FOUND / VERSION_NOT_FOUND naming what exists. */
export async function requireVersion(
  store: RegistryStore,
  name: string,
  version: string,
): Promise<ModelVersionRecord> {
  const found = await store.getVersion(name, version);
  if (found !== undefined) return found;
  const versions = await requireModel(store, name);
  throw new BuilderError(
    RegistryErrorCode.VersionNotFound,
    `model ${name} has no version ${JSON.stringify(version)}; versions: ${listing(versions.map((v) => v.version))}`,
  );
}
