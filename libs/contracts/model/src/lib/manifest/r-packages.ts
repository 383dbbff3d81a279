import type { Manifest } from './manifest.schema';

const DEBIAN_PREFIX = 'r-cran-';

/**
 * The Debian packages R's model worker itself needs: every R image and host has them.
 *
 * @example
 * ```ts
 * R_WORKER_PACKAGES; // ['r-cran-jsonlite']
 * ```
 */
export const R_WORKER_PACKAGES = ['r-cran-jsonlite'] as const;

/**
 * The Debian package of an `r.packages` entry: "r-cran-…" as it is, an R package name
 * lowercased after "r-cran-" (Debian's rule for CRAN packages).
 *
 * @example
 * ```ts
 * rDebianPackage('data.table'); // 'r-cran-data.table'
 * rDebianPackage('Rcpp'); // 'r-cran-rcpp'
 * ```
 */
export function rDebianPackage(name: string): string {
  return name.startsWith(DEBIAN_PREFIX) ? name : `${DEBIAN_PREFIX}${name.toLowerCase()}`;
}

/**
 * Every Debian package an R model needs, the worker's first, without repeats.
 *
 * @example
 * ```ts
 * rModelPackages({ packages: ['data.table'] }); // ['r-cran-jsonlite', 'r-cran-data.table']
 * ```
 */
export function rModelPackages(r: Manifest['r']): string[] {
  return [...new Set([...R_WORKER_PACKAGES, ...(r?.packages ?? []).map(rDebianPackage)])];
}
