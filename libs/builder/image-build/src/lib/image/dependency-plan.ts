import { stat } from 'node:fs/promises';
import path from 'node:path';

import type { Manifest } from '@ml-run/model-contract';

import { declaredDependencies } from '../build/install-dependencies';

/** npm lock files `npm ci` accepts, in the order npm prefers them. */
const NPM_LOCK_FILES = ['npm-shrinkwrap.json', 'package-lock.json'] as const;

export type NpmLockFile = (typeof NPM_LOCK_FILES)[number];

/**
 * How an image installs a bundle's dependencies: `pip` (requirements.txt) or `npm`
 * (package.json, and `npm ci` when a lock file is there). No plan: no dependencies layer.
 */
export type DependencyPlan = ({ kind: 'pip' } | { kind: 'npm'; lockFile?: NpmLockFile }) & {
  /** The manifest's dependencies.sourceBuilds (allowed by the builder): sdists, npm scripts. */
  sourceBuilds?: boolean;
};

const isFile = (file: string) =>
  stat(file).then(
    (info) => info.isFile(),
    () => false,
  );

/**
 * The dependency plan of an unpacked bundle, by the rule the process build uses
 * (`declaredDependencies`): a requirements.txt with at least one requirement, or a
 * package.json with at least one runtime dependency. Undefined when there are none.
 */
export async function planDependencies(
  bundleDir: string,
  runtime: Manifest['runtime'],
  sourceBuilds = false,
): Promise<DependencyPlan | undefined> {
  if ((await declaredDependencies(bundleDir, runtime)) === undefined) return undefined;
  const extra = sourceBuilds ? { sourceBuilds } : {};
  if (runtime === 'python') return { kind: 'pip', ...extra };
  for (const lockFile of NPM_LOCK_FILES) {
    if (await isFile(path.join(bundleDir, lockFile))) return { kind: 'npm', lockFile, ...extra };
  }
  return { kind: 'npm', ...extra };
}

/** The bundle files a plan's layer copies (its cache key), in COPY order. */
export function dependencyFiles(plan: DependencyPlan): string[] {
  if (plan.kind === 'pip') return ['requirements.txt'];
  return plan.lockFile === undefined ? ['package.json'] : ['package.json', plan.lockFile];
}
