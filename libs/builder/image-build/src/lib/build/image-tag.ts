/** The registry path model images live under: `<registry>/ml-run/<name>`. */
export const IMAGE_NAMESPACE = 'ml-run';

// Docker's tag grammar: a word character first, then word characters, "." and "-".
const DOCKER_TAG = /^\w[\w.-]{0,127}$/;

/**
 * The image tag of a model version: `<registry>/ml-run/<name>:<version>`, with the
 * version's "+" (not allowed in a tag) written as "_": `1.0.0+6526c66fa490` →
 * `1.0.0_6526c66fa490`. Model names are DNS labels, valid repository names as they are.
 */
export function imageTag(registry: string, name: string, version: string): string {
  const tag = version.replaceAll('+', '_');
  if (!DOCKER_TAG.test(tag)) {
    throw new Error(
      `version ${version} makes no valid image tag (${tag.length} characters; Docker allows ` +
        'letters, digits, "_", "." and "-", at most 128): shorten codeVersion',
    );
  }
  return `${registry}/${IMAGE_NAMESPACE}/${name}:${tag}`;
}

/**
 * The local tag of a version's dependency fetch image: `ml-run-deps/<name>:<version>`.
 * No registry host: it is never pushed, only built FROM on this engine.
 */
export function fetchImageTag(name: string, version: string): string {
  const tag = imageTag('local', name, version);
  return `ml-run-deps/${tag.slice(tag.lastIndexOf('/') + 1)}`;
}

/**
 * The local tag of an R version's packages image (the R base image plus its manifest's
 * Debian packages): `ml-run-r/<name>:<version>`. Never pushed: the model image starts FROM it.
 */
export function rPackagesImageTag(name: string, version: string): string {
  const tag = imageTag('local', name, version);
  return `ml-run-r/${tag.slice(tag.lastIndexOf('/') + 1)}`;
}
