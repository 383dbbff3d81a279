// Whether this machine's R can run the model: R at all, a recent enough version, and every
// package the manifest names. In an image the Dockerfile installed them; on the process
// target nothing installs them (apt needs root), so the model is refused with what to run.
import {
  R_WORKER_PACKAGES,
  rDebianPackage,
  rModelPackages,
  type Manifest,
} from '@ml-run/model-contract';

import { RuntimeError, RuntimeErrorCode } from '../runtime.errors';
import type { RInstallation } from './r-installation';

/** The manifest's `r:` settings, with defaults. */
export type RRequirements = NonNullable<Manifest['r']>;

/** Throws R_UNAVAILABLE, R_VERSION_TOO_OLD or R_PACKAGES_MISSING; returns when R will do. */
export function checkRRequirements(
  installation: RInstallation | undefined,
  requirements: RRequirements | undefined,
  rscript: string,
): void {
  if (installation === undefined) {
    throw new RuntimeError(
      RuntimeErrorCode.RUnavailable,
      `this model needs R, but ${rscript} cannot be run here: install Debian's R ` +
        `(apt-get install r-base-core ${R_WORKER_PACKAGES.join(' ')}) or point MLRUN_RSCRIPT at Rscript`,
    );
  }
  const minVersion = requirements?.minVersion;
  if (minVersion !== undefined && compareVersions(installation.version, minVersion) < 0) {
    throw new RuntimeError(
      RuntimeErrorCode.RVersionTooOld,
      `this model needs R ${minVersion} or later (r.minVersion), this machine has R ` +
        `${installation.version}: deploy it where R is newer (a container image has the ` +
        `base image's R) or lower r.minVersion`,
    );
  }
  const have = new Set(installation.packages.map((name) => rDebianPackage(name)));
  const missing = rModelPackages(requirements).filter((name) => !have.has(name));
  if (missing.length > 0) {
    throw new RuntimeError(
      RuntimeErrorCode.RPackagesMissing,
      `R on this machine lacks ${missing.join(', ')}: an admin must run ` +
        `apt-get install ${missing.join(' ')} (nothing here installs packages without root)`,
    );
  }
}

/** Compares dotted versions numerically: "4.10" is after "4.2". */
export function compareVersions(left: string, right: string): number {
  const a = left.split('.').map(Number);
  const b = right.split('.').map(Number);
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}
