import type { Readable } from 'node:stream';

import type { ImageUpload } from '@ml-run/registry-contract';

/**
 * Builds model images and pushes them to the registry (`DockerImages` from
 * `@ml-run/docker`, a fake in tests). Output arrives line by line. A failure rejects with
 * an Error whose message gives the engine's reason; a `log` (string[]) on it, when there,
 * is the tail of the engine's output. `signal` (a builder shutting down) cancels the call
 * in the engine; the promise then rejects.
 */
export interface ImagePublisher {
  /**
   * Builds `tag` from a context tar (read once). `network` is what its RUN steps get:
   * `none` (the default: a model image), or `host` (a dependency fetch image).
   */
  build(
    context: Readable,
    tag: string,
    onLine: (line: string) => void,
    signal?: AbortSignal,
    options?: ImageBuildOptions,
  ): Promise<{ imageId: string }>;
  /** Pushes `tag`; `reference` is `<repository>@<digest>`; `upload` is what it sent. */
  push(
    tag: string,
    onLine: (line: string) => void,
    signal?: AbortSignal,
  ): Promise<{ digest: string; size: number; reference: string; upload: ImageUpload }>;
}

/** The network of a build's RUN steps. */
export type ImageBuildOptions = { network: 'none' | 'host' };

/** How this builder makes images; absent: the image and push steps are skipped. */
export type ImagePublishing = {
  publisher: ImagePublisher;
  /** Where images go, as host:port (MLRUN_REGISTRY), e.g. `127.0.0.1:5000`. */
  registry: string;
  /** The base image (tools/images/build-base.sh), e.g. `127.0.0.1:5000/ml-run/base:<hash>`. */
  baseImage: string;
  /** The R base image (tools/images/build-base-r.sh, MLRUN_BASE_IMAGE_R); runtime r models need it. */
  baseImageR?: string;
  /** The self-contained model-wrapper build (`dist/images/model-wrapper`, with main.js). */
  wrapperDir: string;
  /**
   * The builder's npm package folder (the base image has node, not npm): node bundles'
   * fetch images run it. Absent: node bundles with dependencies cannot get an image.
   */
  npmDir?: string;
  /** A CA bundle the dependency fetch trusts (MLRUN_BUILD_CA_FILE: a package proxy's CA). */
  fetchCaFile?: string;
};

export const IMAGE_PUBLISHING = Symbol('IMAGE_PUBLISHING');
