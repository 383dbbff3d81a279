import type { AliasTarget } from '@ml-run/registry-contract';

/**
 * The canary split of one version against the stable alias: `base` is the version the rest
 * of the traffic goes to (the heaviest other version of stable now), `weight` this
 * version's share today (0 when stable does not name it).
 */
export type CanaryBase = { base?: string; weight: number };

export function canaryBase(stable: AliasTarget | undefined, version: string): CanaryBase {
  const others = (stable?.versions ?? []).filter((entry) => entry.version !== version);
  const base = [...others].sort((a, b) => b.weight - a.weight)[0]?.version;
  const weight = stable?.versions.find((entry) => entry.version === version)?.weight ?? 0;
  return { base, weight };
}

/**
 * The `PUT /v1/models/{name}/aliases/stable` body that sends `weight` % to `version` and
 * the rest to `base` (integers summing to 100, as the builder requires). 0 and 100 name one
 * version alone, so the alias is not left with a weight-0 entry.
 * @example canarySplit('1.0.0+a', '1.1.0+b', 10) // { versions: [{ version: '1.0.0+a', weight: 90 }, { version: '1.1.0+b', weight: 10 }] }
 */
export function canarySplit(base: string, version: string, weight: number): AliasTarget {
  const share = Math.min(100, Math.max(0, Math.round(weight)));
  if (share === 0) return { versions: [{ version: base, weight: 100 }] };
  if (share === 100) return { versions: [{ version, weight: 100 }] };
  return {
    versions: [
      { version: base, weight: 100 - share },
      { version, weight: share },
    ],
  };
}

/** The split in words, for the confirmation dialog. */
export function describeSplit(target: AliasTarget): string {
  return target.versions.map((entry) => `${entry.version} ${entry.weight}%`).join(', ');
}

/** Whether stable sends all its traffic to this version alone. */
export function isSoleStable(stable: AliasTarget | undefined, version: string): boolean {
  return stable?.versions.length === 1 && stable.versions[0].version === version;
}
