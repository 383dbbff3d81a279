import type { Manifest } from '@ml-run/model-contract';

import type { ImageOptions } from './image-options';

/** Label keys a model image carries; the deployers and `docker inspect` read these. */
export const IMAGE_LABELS = {
  name: 'run.ml.name',
  version: 'run.ml.version',
  runtime: 'run.ml.runtime',
  entry: 'run.ml.entry',
  codeVersion: 'run.ml.code-version',
  coefficientsVersion: 'run.ml.coefficients-version',
  coefficientsDigest: 'run.ml.coefficients-digest',
  bundleSha256: 'run.ml.bundle-sha256',
  title: 'org.opencontainers.image.title',
  ociVersion: 'org.opencontainers.image.version',
  baseName: 'org.opencontainers.image.base.name',
} as const;

/**
 * The image labels, in Dockerfile order. The coefficients version is the manifest's label
 * when it has one, else the 12 hex of the digest that the model version carries.
 */
export function imageLabels(manifest: Manifest, options: ImageOptions): [string, string][] {
  const L = IMAGE_LABELS;
  return [
    [L.name, manifest.name],
    [L.version, options.version],
    [L.runtime, manifest.runtime],
    [L.entry, manifest.entry],
    [L.codeVersion, manifest.codeVersion],
    [
      L.coefficientsVersion,
      manifest.coefficients.version ?? options.coefficientsDigest.slice(0, 12),
    ],
    [L.coefficientsDigest, options.coefficientsDigest],
    [L.bundleSha256, options.bundleSha256],
    [L.title, manifest.name],
    [L.ociVersion, options.version],
    [L.baseName, options.baseImage],
  ];
}
