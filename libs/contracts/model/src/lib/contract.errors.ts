/**
 * Every way a model bundle, manifest or model directory can break the contract.
 * The string values are stable: the Python module (`mlrun_model`) raises the same codes,
 * and the platform returns them to the CLI as `{ code, message }`.
 *
 * @example
 * ```ts
 * if (err instanceof ContractError && err.code === ContractErrorCode.ManifestInvalid) {
 *   for (const issue of err.details ?? []) console.error(issue.path, issue.message);
 * }
 * ```
 */
export enum ContractErrorCode {
  /** No `ml-run.yaml` at the root of the bundle or model directory. */
  ManifestMissing = 'MANIFEST_MISSING',
  /** `ml-run.yaml` is not valid YAML (or has duplicate keys, or several documents). */
  ManifestYamlInvalid = 'MANIFEST_YAML_INVALID',
  /** `ml-run.yaml` is YAML but breaks a field rule; `details` lists every problem. */
  ManifestInvalid = 'MANIFEST_INVALID',
  /** `ml-run.yaml` is larger than `ZipLimits.maxManifestBytes`. */
  ManifestTooLarge = 'MANIFEST_TOO_LARGE',
  /** The manifest `entry` file is not in the bundle. */
  EntryMissing = 'ENTRY_MISSING',
  /** `coefficients.path` was set to a non-default path that is not in the bundle. */
  CoefficientsMissing = 'COEFFICIENTS_MISSING',
  /** The coefficients contain a symlink, or a file listing is malformed. */
  CoefficientsInvalid = 'COEFFICIENTS_INVALID',
  /** A string is not a model version `<codeVersion>+<12 hex>`, or its parts are malformed. */
  ModelVersionInvalid = 'MODEL_VERSION_INVALID',
  /** Not a zip file, or a corrupt one (including entries whose data contradicts their header). */
  ZipInvalid = 'ZIP_INVALID',
  /** More entries than `ZipLimits.maxEntries`. */
  ZipTooManyEntries = 'ZIP_TOO_MANY_ENTRIES',
  /** Total uncompressed size above `ZipLimits.maxTotalUncompressedBytes`. */
  ZipTooLarge = 'ZIP_TOO_LARGE',
  /** An entry inflates more than `ZipLimits.maxCompressionRatio` times (zip bomb). */
  ZipCompressionRatio = 'ZIP_COMPRESSION_RATIO',
  /** An entry name starts with `/` or a drive letter. */
  ZipAbsolutePath = 'ZIP_ABSOLUTE_PATH',
  /** An entry name has a `..` segment. */
  ZipPathTraversal = 'ZIP_PATH_TRAVERSAL',
  /** An entry name is empty, uses `\` or contains control characters. */
  ZipInvalidName = 'ZIP_INVALID_NAME',
  /** An entry is a symbolic link. */
  ZipSymlink = 'ZIP_SYMLINK',
  /** Two entries name the same path (ignoring case and `./`), or a path is both file and folder. */
  ZipDuplicateName = 'ZIP_DUPLICATE_NAME',
  /** An entry is encrypted. */
  ZipEncrypted = 'ZIP_ENCRYPTED',
  /** `ml-run.yaml` is only inside a subfolder: the folder was zipped instead of its contents. */
  ZipManifestNotAtRoot = 'ZIP_MANIFEST_NOT_AT_ROOT',
  /**
   * requirements.txt, package.json, a lock file or `.npmrc` would fetch code from somewhere
   * other than the platform's package index (index or link options, URLs, paths, git).
   */
  DependencySourceRefused = 'DEPENDENCY_SOURCE_REFUSED',
  /** package.json (or a lock file) is not valid JSON. */
  DependencyFileInvalid = 'DEPENDENCY_FILE_INVALID',
}

/**
 * One concrete problem: `path` is a manifest field (`resources.cpu`), a zip entry name
 * or a file path; `message` says what to fix.
 *
 * @example
 * ```ts
 * const issue: ContractIssue = { path: 'name', message: 'ml-run.yaml: "name" must be ...' };
 * ```
 */
export type ContractIssue = { path: string; message: string };

/**
 * The one error type of `@ml-run/model-contract`. `message` always says what to fix.
 *
 * @example
 * ```ts
 * throw new ContractError(ContractErrorCode.EntryMissing, 'ml-run.yaml: entry "model.py" is not in the bundle');
 * ```
 */
export class ContractError extends Error {
  constructor(
    readonly code: ContractErrorCode,
    message: string,
    readonly details?: readonly ContractIssue[],
  ) {
    super(message);
    this.name = 'ContractError';
  }
}
