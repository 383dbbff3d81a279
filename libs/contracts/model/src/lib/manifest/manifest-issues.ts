import type { z } from 'zod';

import type { ContractIssue } from '../contract.errors';
import { ENV_NAME_RULE, MANIFEST_FIELD_RULES, MANIFEST_FIELDS } from './manifest.rules';
import { MANIFEST_FILE } from './manifest.schema';

type Issue = z.core.$ZodIssue;
type Ranked = ContractIssue & { unknownField: boolean };

const joinPath = (path: readonly PropertyKey[]) => path.map(String).join('.');

/**
 * How a value is shown after "got" in messages (the Python module renders it the same).
 *
 * @example
 * ```ts
 * showValue('Iris_1'); // '"Iris_1"'
 * showValue([1]); // 'a list'
 * ```
 */
export function showValue(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return String(value);
}

// A list item is reported as its list, held to the list's rule: "r.packages.1" -> "r.packages".
const fieldPath = (path: readonly PropertyKey[]) =>
  typeof path[path.length - 1] === 'number' ? path.slice(0, -1) : path;

function ruleFor(path: readonly PropertyKey[]): string {
  const key = path[0] === 'env' && path.length === 2 ? 'env.*' : joinPath(path);
  return MANIFEST_FIELD_RULES[key] ?? 'is not valid';
}

function fieldIssue(issue: Issue): Ranked {
  const at = fieldPath(issue.path);
  const path = joinPath(at);
  const rule = ruleFor(at);
  if (path === '') {
    return {
      path,
      unknownField: false,
      message: `${MANIFEST_FILE} ${rule}, got ${showValue(issue.input)}`,
    };
  }
  const message =
    issue.input === undefined
      ? `${MANIFEST_FILE}: "${path}" is missing; it ${rule}`
      : `${MANIFEST_FILE}: "${path}" ${rule}, got ${showValue(issue.input)}`;
  return { path, unknownField: false, message };
}

function unknownFieldIssues(issue: Issue & { keys: string[] }): Ranked[] {
  const parent = joinPath(issue.path);
  const allowed = (MANIFEST_FIELDS[parent] ?? []).join(', ');
  const where = parent === '' ? '' : ` in "${parent}"`;
  return issue.keys.map((key) => {
    const path = parent === '' ? key : `${parent}.${key}`;
    const message = `${MANIFEST_FILE}: unknown field "${path}"; allowed${where}: ${allowed}`;
    return { path, unknownField: true, message };
  });
}

function envNameIssue(issue: Issue): Ranked {
  const path = joinPath(issue.path);
  const name = String(issue.path[issue.path.length - 1]);
  const message = `${MANIFEST_FILE}: env name ${JSON.stringify(name)} ${ENV_NAME_RULE}`;
  return { path, unknownField: false, message };
}

/**
 * Turns zod issues into `ContractIssue`s that say what to fix: unknown fields first (they
 * are usually typos that also cause a "missing" issue), one issue per path, then in
 * schema order.
 *
 * @example
 * ```ts
 * const result = manifestSchema.safeParse(value, { reportInput: true });
 * if (!result.success) toManifestIssues(result.error.issues)[0].message;
 * ```
 */
export function toManifestIssues(issues: readonly Issue[]): ContractIssue[] {
  const ranked = issues.flatMap((issue): Ranked[] => {
    if (issue.code === 'unrecognized_keys') return unknownFieldIssues(issue);
    if (issue.code === 'invalid_key') return [envNameIssue(issue)];
    return [fieldIssue(issue)];
  });
  const ordered = [
    ...ranked.filter((i) => i.unknownField),
    ...ranked.filter((i) => !i.unknownField),
  ];
  const seen = new Set<string>();
  return ordered
    .filter((issue) => !seen.has(issue.path) && seen.add(issue.path))
    .map(({ path, message }) => ({ path, message }));
}
