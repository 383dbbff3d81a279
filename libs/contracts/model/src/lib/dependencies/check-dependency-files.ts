import { ContractError, ContractErrorCode, type ContractIssue } from '../contract.errors';
import type { Manifest } from '../manifest/manifest.schema';
import { NPM_REFUSED_FILES, PACKAGE_JSON_FILE, packageJsonIssues } from './check-package-json';
import { REQUIREMENTS_FILE, requirementsIssues } from './check-requirements';

const NPM_LOCK_FILES = ['npm-shrinkwrap.json', 'package-lock.json'] as const;

// Where a lock file may say a package comes from (the registry builds install from).
const REGISTRY_TARBALL = 'https://registry.npmjs.org/';

/**
 * The root files of a bundle that decide what its build installs, by runtime: these are
 * the files `checkDependencyFiles` wants to see when they are in the bundle.
 *
 * @example
 * ```ts
 * DEPENDENCY_FILES.node; // ['package.json', '.npmrc', 'npm-shrinkwrap.json', 'package-lock.json']
 * ```
 */
export const DEPENDENCY_FILES: Readonly<Record<Manifest['runtime'], readonly string[]>> = {
  python: [REQUIREMENTS_FILE],
  node: [PACKAGE_JSON_FILE, ...NPM_REFUSED_FILES, ...NPM_LOCK_FILES],
  // R packages are Debian packages named in the manifest (r.packages), not a bundle file.
  r: [],
};

function lockIssues(name: string, text: string): ContractIssue[] {
  let packages: unknown;
  try {
    packages = (JSON.parse(text) as { packages?: unknown } | null)?.packages;
  } catch (error) {
    return [
      {
        path: name,
        message: `${name} is not valid JSON (${(error as Error).message}); fix it or leave it out`,
      },
    ];
  }
  if (typeof packages !== 'object' || packages === null) return [];
  return Object.entries(packages).flatMap(([where, entry]) => {
    const resolved = (entry as { resolved?: unknown } | null)?.resolved;
    if (
      resolved === undefined ||
      (typeof resolved === 'string' && resolved.startsWith(REGISTRY_TARBALL))
    ) {
      return [];
    }
    return [
      {
        path: `${name}:${where}`,
        message:
          `${name}: ${where} resolves to ${JSON.stringify(resolved)}; packages come from ` +
          `${REGISTRY_TARBALL} only: depend on a registry version and lock again`,
      },
    ];
  });
}

function nodeIssues(files: Readonly<Record<string, string>>): ContractIssue[] {
  const issues: ContractIssue[] = NPM_REFUSED_FILES.filter((name) => name in files).map((name) => ({
    path: name,
    message: `${name} is in the bundle; builds use the platform's npm settings and registry: remove it`,
  }));
  const packageJson = files[PACKAGE_JSON_FILE];
  if (packageJson !== undefined) issues.push(...packageJsonIssues(packageJson));
  for (const lock of NPM_LOCK_FILES) {
    const text = files[lock];
    if (text !== undefined) issues.push(...lockIssues(lock, text));
  }
  return issues;
}

/**
 * Checks the dependency files of a bundle (root file name → text, as listed in
 * `DEPENDENCY_FILES` for its runtime) before anything is installed: requirements by name
 * from the platform's index only (`requirementsIssues`), npm registry ranges only
 * (`packageJsonIssues`), no `.npmrc`, lock files that resolve to the npm registry only.
 * Throws `ContractError` DEPENDENCY_SOURCE_REFUSED (or DEPENDENCY_FILE_INVALID for a
 * package.json that is not JSON); the message is the first problem, `details` all of them.
 *
 * @example
 * ```ts
 * checkDependencyFiles('python', { 'requirements.txt': '-i https://evil.example/simple\n' });
 * // throws ContractError DEPENDENCY_SOURCE_REFUSED
 * ```
 */
export function checkDependencyFiles(
  runtime: Manifest['runtime'],
  files: Readonly<Record<string, string>>,
): void {
  if (runtime === 'r') return;
  const issues =
    runtime === 'python' ? requirementsIssues(files[REQUIREMENTS_FILE] ?? '') : nodeIssues(files);
  const [first] = issues;
  if (first === undefined) return;
  const more = issues.length - 1;
  const suffix = more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : '';
  throw new ContractError(
    ContractErrorCode.DependencySourceRefused,
    `${first.message}${suffix}`,
    issues,
  );
}
