import { ContractError, ContractErrorCode, type ContractIssue } from '../contract.errors';

/**
 * The node dependency file the platform installs from (`npm install`), at the bundle root.
 *
 * @example
 * ```ts
 * await readFile(join(modelDir, PACKAGE_JSON_FILE), 'utf8');
 * ```
 */
export const PACKAGE_JSON_FILE = 'package.json';

/**
 * Bundle files a node build refuses: npm reads its settings (registry, scripts) from a
 * project `.npmrc`.
 *
 * @example
 * ```ts
 * NPM_REFUSED_FILES; // ['.npmrc']
 * ```
 */
export const NPM_REFUSED_FILES = ['.npmrc'] as const;

// Every map npm resolves while it builds the tree (dev ones too: it reads them before it
// leaves them out).
const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'overrides',
] as const;

// A registry range or dist-tag: `^1.2.0`, `~1`, `1.x`, `>=1 <2 || 3`, `1.0.0 - 2.0.0`,
// `latest`. No ":" (git+, http:, file:, link:, github:, npm: aliases), "/" (paths,
// user/repo shorthands), "#" or "@".
const REGISTRY_RANGE = /^[A-Za-z0-9.*^~<>=|+\s-]*$/;

const HOW_TO_FIX =
  'give a version range from the platform\'s npm registry (e.g. "^1.3.0"): git, URL, ' +
  'file, link and alias specifiers are not allowed';

function specIssues(field: string, specs: unknown, path: string[] = []): ContractIssue[] {
  if (typeof specs !== 'object' || specs === null) return [];
  const issues: ContractIssue[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const where = [...path, name];
    // overrides nest: { "foo": { ".": "1.0.0", "bar": "2.0.0" } }
    if (field === 'overrides' && typeof spec === 'object' && spec !== null) {
      issues.push(...specIssues(field, spec, where));
      continue;
    }
    if (typeof spec === 'string' && REGISTRY_RANGE.test(spec)) continue;
    const label = `${field}.${where.join('.')}`;
    issues.push({
      path: `${PACKAGE_JSON_FILE}:${label}`,
      message: `${PACKAGE_JSON_FILE}: ${label} is ${JSON.stringify(spec)}; ${HOW_TO_FIX}`,
    });
  }
  return issues;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ContractError(
      ContractErrorCode.DependencyFileInvalid,
      `${PACKAGE_JSON_FILE} is not valid JSON (${(error as Error).message}); fix it and upload again`,
      [{ path: PACKAGE_JSON_FILE, message: (error as Error).message }],
    );
  }
}

/**
 * Problems of a package.json a build would install from: a dependency (in `dependencies`,
 * `devDependencies`, `optionalDependencies`, `peerDependencies` or `overrides`) that is
 * not a registry version range or dist-tag. Throws DEPENDENCY_FILE_INVALID when the text
 * is not a JSON object.
 *
 * @example
 * ```ts
 * packageJsonIssues('{"dependencies": {"evil": "git+https://example.com/evil.git"}}');
 * // [{ path: 'package.json:dependencies.evil', message: 'package.json: dependencies.evil is ...' }]
 * ```
 */
export function packageJsonIssues(text: string): ContractIssue[] {
  const parsed = parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ContractError(
      ContractErrorCode.DependencyFileInvalid,
      `${PACKAGE_JSON_FILE} must be a JSON object; fix it and upload again`,
      [{ path: PACKAGE_JSON_FILE, message: 'not a JSON object' }],
    );
  }
  const record = parsed as Record<string, unknown>;
  return DEPENDENCY_FIELDS.flatMap((field) => specIssues(field, record[field]));
}

/**
 * Whether a package.json (already checked) declares runtime dependencies to install.
 *
 * @example
 * ```ts
 * hasRuntimeDependencies('{"dependencies": {"left-pad": "1.3.0"}}'); // true
 * ```
 */
export function hasRuntimeDependencies(text: string): boolean {
  const dependencies = (parse(text) as { dependencies?: unknown } | null)?.dependencies;
  return (
    typeof dependencies === 'object' &&
    dependencies !== null &&
    Object.keys(dependencies).length > 0
  );
}
