import { modelVersion, validateManifest, type Manifest } from '@ml-run/model-contract';

import { dependencyFiles, type DependencyPlan } from './dependency-plan';
import { checkImageReference } from './dockerfile-quoting';
import { isCoefficientsFile } from './image-layout';
import { ImageContextError, ImageContextErrorCode } from './image.errors';

/** What a model image is built from, besides the manifest. */
export type ImageOptions = {
  /** The base image (Node.js + python3, user mlrun uid 10001), e.g. `127.0.0.1:5000/ml-run/base:abc123def456`. */
  baseImage: string;
  /** sha256 (hex) of the stored bundle zip. */
  bundleSha256: string;
  /** The model version `<codeVersion>+<12 hex>`; must agree with the manifest and digest. */
  version: string;
  /** sha256 (hex) of the coefficients listing (the coefficients version). */
  coefficientsDigest: string;
  /** From `planDependencies`; absent: the bundle declares none and gets no layer for them. */
  dependencies?: DependencyPlan;
  /** With dependencies: the fetch image (`fetchDockerfileFor`) the deps stage starts FROM. */
  fetchImage?: string;
};

const SHA256_HEX = /^[0-9a-f]{64}$/;
const PLAN_RUNTIME = { pip: 'python', npm: 'node' } as const;

const invalid = (message: string) =>
  new ImageContextError(ImageContextErrorCode.InvalidOption, message);

function checkDigests(options: ImageOptions): void {
  for (const [what, value] of [
    ['bundle sha256', options.bundleSha256],
    ['coefficients digest', options.coefficientsDigest],
  ] as const) {
    if (!SHA256_HEX.test(value)) {
      throw invalid(`${what} ${JSON.stringify(value)} must be 64 lowercase hex (a sha256)`);
    }
  }
}

function checkVersion(manifest: Manifest, options: ImageOptions): void {
  const expected = modelVersion(manifest.codeVersion, options.coefficientsDigest);
  if (options.version !== expected) {
    throw invalid(
      `version ${JSON.stringify(options.version)} does not match codeVersion ` +
        `${manifest.codeVersion} and the coefficients digest (expected ${expected})`,
    );
  }
}

function checkDependencies(manifest: Manifest, plan: DependencyPlan | undefined): void {
  if (plan === undefined) return;
  if (PLAN_RUNTIME[plan.kind] !== manifest.runtime) {
    throw invalid(`a ${plan.kind} dependency plan does not fit runtime ${manifest.runtime}`);
  }
  const inCoefficients = dependencyFiles(plan).find((file) =>
    isCoefficientsFile(file, manifest.coefficients.path),
  );
  if (inCoefficients !== undefined) {
    throw invalid(
      `${inCoefficients} lies under coefficients.path ${JSON.stringify(manifest.coefficients.path)}: ` +
        'move the coefficients to their own folder',
    );
  }
}

/**
 * Checks the inputs of an image: the manifest again (it may not have come through
 * parseManifest; throws `ContractError` MANIFEST_INVALID), then the options. Returns the
 * validated manifest.
 */
export function checkImageInputs(manifest: Manifest, options: ImageOptions): Manifest {
  const checked = validateManifest(manifest);
  checkImageReference(options.baseImage);
  checkDigests(options);
  checkVersion(checked, options);
  checkDependencies(checked, options.dependencies);
  if (options.dependencies !== undefined) {
    if (options.fetchImage === undefined) {
      throw invalid('a dependency plan needs the fetch image its deps stage starts from');
    }
    checkImageReference(options.fetchImage);
  }
  return checked;
}
