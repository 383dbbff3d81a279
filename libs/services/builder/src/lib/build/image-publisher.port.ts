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
  /** Builds `tag` from a context tar (read once). */
  build(
    context: Readable,
    tag: string,
    onLine: (line: string) => void,
    signal?: AbortSignal,
  ): Promise<{ imageId: string }>;
  /** Pushes `tag`; `reference` is `<repository>@<digest>`; `upload` is what it sent. */
  push(
    tag: string,
    onLine: (line: string) => void,
    signal?: AbortSignal,
  ): Promise<{ digest: string; size: number; reference: string; upload: ImageUpload }>;
}

/** How this builder makes images; absent: the image and push steps are skipped. */
export type ImagePublishing = {
  publisher: ImagePublisher;
  /** Where images go, as host:port (MLRUN_REGISTRY), e.g. `127.0.0.1:5000`. */
  registry: string;
  /** The base image (tools/images/build-base.sh), e.g. `127.0.0.1:5000/ml-run/base:<hash>`. */
  baseImage: string;
  /** The self-contained model-wrapper build (`dist/images/model-wrapper`, with main.js). */
  wrapperDir: string;
};

export const IMAGE_PUBLISHING = Symbol('IMAGE_PUBLISHING');
