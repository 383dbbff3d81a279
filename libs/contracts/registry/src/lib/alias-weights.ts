import type { AliasTarget } from './registry.dto';

/**
 * What is wrong with an alias target, or undefined: weights must be integers 0..100 summing
 * to 100, versions distinct and non-empty.
 * @example aliasTargetProblem({ versions: [{ version: 'a', weight: 90 }, { version: 'b', weight: 20 }] })
 *   // 'weights must sum to 100, got 110'
 */
export function aliasTargetProblem(target: AliasTarget): string | undefined {
  if (target.versions.length === 0) return 'name at least one version';
  const seen = new Set<string>();
  let sum = 0;
  for (const { version, weight } of target.versions) {
    if (seen.has(version)) return `version ${version} is listed twice`;
    seen.add(version);
    if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
      return `weight of ${version} must be an integer from 0 to 100, got ${weight}`;
    }
    sum += weight;
  }
  return sum === 100 ? undefined : `weights must sum to 100, got ${sum}`;
}

/**
 * Picks a version by weight; `random` in [0, 1).
 * @example pickWeighted({ versions: [{ version: 'a', weight: 90 }, { version: 'b', weight: 10 }] }, 0.95) // 'b'
 */
export function pickWeighted(target: AliasTarget, random: number): string | undefined {
  let threshold = random * 100;
  for (const { version, weight } of target.versions) {
    if (threshold < weight) return version;
    threshold -= weight;
  }
  return target.versions.findLast((v) => v.weight > 0)?.version;
}
