import Docker from 'dockerode';

import type { ImageUpload } from '@ml-run/registry-contract';

import { followDockerStream, type DockerOutcome } from './docker-progress';
import { DockerError, DockerErrorCode } from './docker.errors';
import { manifestLayers, pushSizeOf } from './push-size';
import {
  authConfigOf,
  type RegistryAccess,
  type RegistryCredential,
} from './registry/registry-access';

/** Lines of a failed build or push kept for its report. */
const LOG_TAIL = 50;

export type BuiltImage = { tag: string; imageId: string };

/**
 * A pushed image: refer to it by `reference` (repository@digest), never by tag. `size` is
 * what Docker reports (the manifest's bytes); `upload` is what the push sent.
 */
export type PushedImage = {
  tag: string;
  digest: string;
  size: number;
  reference: string;
  upload: ImageUpload;
};

/**
 * Builds images from a context tar and pushes them, through the Docker Engine API
 * (dockerode). Progress lines go to the caller as they come, so a build's events carry
 * Docker's own output; a failure carries the tail of it.
 */
export class DockerImages {
  /** `registry`: where pushes go and with which credentials; unset, anonymous. */
  constructor(
    private readonly docker: Docker,
    private readonly registry?: RegistryAccess,
  ) {}

  /**
   * `signal` cancels the build: the engine stops when its request is closed. `network` is
   * the network of its RUN steps: `none` unless the build must fetch (`host`).
   */
  async build(
    context: NodeJS.ReadableStream,
    tag: string,
    onLine: (line: string) => void = () => undefined,
    signal?: AbortSignal,
    options: { network: 'none' | 'host' } = { network: 'none' },
  ): Promise<BuiltImage> {
    const outcome = await this.follow(
      () =>
        this.docker.buildImage(context, {
          t: tag,
          rm: true,
          forcerm: true,
          networkmode: options.network,
          abortSignal: signal,
          // A FROM image missing here (the base) is pulled from our registry, as a reader.
          ...this.buildRegistryConfig(),
        }),
      onLine,
      DockerErrorCode.BuildFailed,
      signal,
    );
    const imageId = outcome.aux.find((aux) => aux.ID)?.ID;
    if (outcome.error !== undefined || imageId === undefined) {
      throw failure(DockerErrorCode.BuildFailed, `building ${tag} failed`, outcome);
    }
    return { tag, imageId };
  }

  async push(
    tag: string,
    onLine: (line: string) => void = () => undefined,
    signal?: AbortSignal,
  ): Promise<PushedImage> {
    const outcome = await this.follow(
      () =>
        this.docker.getImage(tag).push({
          // Engine 20.10 refuses a push without X-Registry-Auth, even to an open registry.
          authconfig: authConfigOf(registryOf(tag), this.credentialFor(tag, 'push')),
          abortSignal: signal,
        }),
      onLine,
      DockerErrorCode.PushFailed,
      signal,
    );
    const pushed = outcome.aux.find((aux) => aux.Digest);
    if (outcome.error !== undefined || !pushed?.Digest) {
      throw failure(DockerErrorCode.PushFailed, `pushing ${tag} failed`, outcome);
    }
    const repository = repositoryOf(tag);
    const [diffIds, layers] = await Promise.all([
      this.diffIds(tag),
      manifestLayers(repository, pushed.Digest, {
        address: registryOf(tag),
        ca: this.registry?.ca,
        credential: this.credentialFor(tag, 'pull') ?? this.credentialFor(tag, 'push'),
      }),
    ]);
    return {
      tag,
      digest: pushed.Digest,
      size: pushed.Size ?? 0,
      reference: `${repository}@${pushed.Digest}`,
      upload: pushSizeOf(diffIds, outcome.statusById, layers),
    };
  }

  // Credentials go only to the registry they are for, never to one a tag happens to name.
  private credentialFor(tag: string, role: 'push' | 'pull'): RegistryCredential | undefined {
    if (this.registry === undefined || registryOf(tag) !== this.registry.address) return undefined;
    return this.registry[role];
  }

  private buildRegistryConfig(): { registryconfig?: Record<string, RegistryCredential> } {
    const credential = this.registry?.pull ?? this.registry?.push;
    if (this.registry === undefined || credential === undefined) return {};
    return { registryconfig: { [this.registry.address]: credential } };
  }

  private async diffIds(tag: string): Promise<string[]> {
    try {
      return (await this.docker.getImage(tag).inspect()).RootFS?.Layers ?? [];
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** Whether the engine has an image by this name (tag, id or digest reference). */
  async has(name: string): Promise<boolean> {
    try {
      await this.docker.getImage(name).inspect();
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw unavailable(error);
    }
  }

  private async follow(
    start: () => Promise<NodeJS.ReadableStream>,
    onLine: (line: string) => void,
    code: DockerErrorCode,
    signal: AbortSignal | undefined,
  ): Promise<DockerOutcome> {
    signal?.throwIfAborted();
    let stream: NodeJS.ReadableStream;
    try {
      stream = await start();
    } catch (error) {
      signal?.throwIfAborted();
      if (isUnreachable(error)) throw unavailable(error);
      throw new DockerError(code, `Docker refused the request: ${messageOf(error)}`, [], {
        cause: error,
      });
    }
    try {
      return await followDockerStream(stream, onLine);
    } finally {
      // A cancelled call answers with why it was cancelled, whatever the stream did.
      signal?.throwIfAborted();
    }
  }
}

/** `127.0.0.1:5000/ml-run/iris:tag` → `127.0.0.1:5000/ml-run/iris` (a port is not a tag). */
export function repositoryOf(tag: string): string {
  const slash = tag.lastIndexOf('/');
  const colon = tag.lastIndexOf(':');
  return colon > slash ? tag.slice(0, colon) : tag;
}

/** `127.0.0.1:5000/ml-run/iris:tag` → `127.0.0.1:5000`. */
function registryOf(tag: string): string {
  return tag.split('/')[0] ?? tag;
}

function failure(code: DockerErrorCode, what: string, outcome: DockerOutcome): DockerError {
  const reason = outcome.error ?? 'Docker reported no result';
  return new DockerError(code, `${what}: ${reason}`, outcome.lines.slice(-LOG_TAIL));
}

function unavailable(error: unknown): DockerError {
  return new DockerError(
    DockerErrorCode.Unavailable,
    `the Docker engine cannot be reached (${messageOf(error)}); check MLRUN_DOCKER_HOST`,
    [],
    { cause: error },
  );
}

function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
