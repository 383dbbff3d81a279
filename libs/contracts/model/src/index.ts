export { BUNDLE_PATH_PATTERN, normalizeBundlePath } from './lib/bundle-path';
export { ContractError, ContractErrorCode, type ContractIssue } from './lib/contract.errors';
export { checkDependencyFiles, DEPENDENCY_FILES } from './lib/dependencies/check-dependency-files';
export {
  hasRuntimeDependencies,
  NPM_REFUSED_FILES,
  PACKAGE_JSON_FILE,
  packageJsonIssues,
} from './lib/dependencies/check-package-json';
export { REQUIREMENTS_FILE, requirementsIssues } from './lib/dependencies/check-requirements';
export { manifestJsonSchema } from './lib/manifest/manifest-json-schema';
export { showValue, toManifestIssues } from './lib/manifest/manifest-issues';
export {
  ENV_NAME_RULE,
  MANIFEST_DEFAULTS,
  MANIFEST_FIELD_RULES,
  MANIFEST_FIELDS,
  MANIFEST_PATTERNS,
} from './lib/manifest/manifest.rules';
export {
  MANIFEST_FILE,
  manifestSchema,
  RUNTIME_KINDS,
  type RuntimeKind,
  type Manifest,
  type ManifestInput,
} from './lib/manifest/manifest.schema';
export { parseManifest, readManifestFile, validateManifest } from './lib/manifest/parse-manifest';
export { R_WORKER_PACKAGES, rDebianPackage, rModelPackages } from './lib/manifest/r-packages';
export { cpuCount, memoryBytes } from './lib/manifest/resource-quantities';
export type {
  ModelContext,
  ModelIgniteCache,
  ModelIgniteClient,
  ModelIgniteCursor,
  ModelLogger,
  ModelSqlFieldsQuery,
  NodeModel,
} from './lib/model-context';
export { digestCoefficientsDir } from './lib/version/digest-coefficients-dir';
export {
  coefficientsDigest,
  EMPTY_COEFFICIENTS_DIGEST,
  modelVersion,
  parseModelVersion,
  type CoefficientsFile,
  type ModelVersionParts,
} from './lib/version/model-version';
export { readModelDir, type ModelDirInfo } from './lib/version/read-model-dir';
export { checkZipEntries, ZIP_RULES } from './lib/zip/check-zip-entries';
export { inspectBundle, type BundleInfo } from './lib/zip/inspect-bundle';
export { ZIP_ENTRY_RULES, type ZipEntryRule } from './lib/zip/zip-entry-rules';
export {
  COMPRESSION_RATIO_GRACE_BYTES,
  DEFAULT_ZIP_LIMITS,
  type ZipEntryInfo,
  type ZipLimits,
} from './lib/zip/zip-limits';
