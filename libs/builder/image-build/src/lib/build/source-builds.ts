import { BuilderError, BuilderErrorCode } from '@ml-run/builder-registry';
import type { Manifest } from '@ml-run/model-contract';

/** What this builder lets a build do (MLRUN_ALLOW_SOURCE_BUILDS). */
export type BuildPolicy = { allowSourceBuilds: boolean };

export const BUILD_POLICY = Symbol('BUILD_POLICY');

/** How a bundle says it needs source builds, and how an admin allows them. */
export const SOURCE_BUILDS_HINT =
  'set "dependencies: {sourceBuilds: true}" in ml-run.yaml, and have an admin allow source ' +
  'builds on the builder (MLRUN_ALLOW_SOURCE_BUILDS=true)';

/** Whether the build of `manifest` may compile from source (pip sdists, npm scripts). */
export function wantsSourceBuilds(manifest: Manifest): boolean {
  return manifest.dependencies?.sourceBuilds === true;
}

/** Refuses a manifest that asks for source builds this builder does not allow. */
export function checkSourceBuilds(manifest: Manifest, policy: BuildPolicy): void {
  if (!wantsSourceBuilds(manifest) || policy.allowSourceBuilds) return;
  throw new BuilderError(
    BuilderErrorCode.SourceBuildsNotAllowed,
    'ml-run.yaml asks for source builds (dependencies.sourceBuilds: true), which this ' +
      "builder does not allow: they run the packages' own build code. Use dependencies " +
      'that have wheels (python) or need no install scripts (node) and drop the field, or ' +
      'ask an admin to set MLRUN_ALLOW_SOURCE_BUILDS=true on the builder',
  );
}
