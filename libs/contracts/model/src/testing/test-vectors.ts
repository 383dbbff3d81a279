// Loads the shared test vectors (also read by the Python tests).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ContractIssue } from '../lib/contract.errors';

export const TEST_VECTORS_DIR = join(__dirname, '..', '..', 'test-vectors');

/** A model folder whose version is pinned below (computed with sha256sum). */
export const MODEL_DIR_FIXTURE = join(TEST_VECTORS_DIR, 'model-dir');
export const MODEL_DIR_FIXTURE_VERSION = '1.2.0+751bfc13e77c';
export const MODEL_DIR_FIXTURE_DIGEST =
  '751bfc13e77c1bb30a82ba3ef270f56f5632463d8baef55beeaaf430569bec6b';

export type ManifestVector = {
  name: string;
  yaml: string;
  valid: boolean;
  code?: string;
  normalized?: Record<string, unknown>;
  message?: string;
  details?: ContractIssue[];
};

export type VersionVector = {
  name: string;
  files: [path: string, sha256: string][];
  digest: string;
  codeVersion: string;
  version: string;
};

const load = <T>(file: string): T => JSON.parse(readFileSync(join(TEST_VECTORS_DIR, file), 'utf8'));

export const manifestVectors = () => load<ManifestVector[]>('manifests.json');
export const versionVectors = () => load<VersionVector[]>('versions.json');
