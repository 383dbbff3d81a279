import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';

import type { ImageUpload } from '@ml-run/registry-contract';

import type { ImageBuildOptions, ImagePublisher } from '../lib/build/image-publisher.port';

/** An engine failure as DockerError makes it: Docker's reason, and the tail of its output. */
export class FakeEngineError extends Error {
  constructor(
    message: string,
    readonly log: readonly string[] = [],
  ) {
    super(message);
    this.name = 'FakeEngineError';
  }
}

export type FakeImagePublisherOptions = {
  /** Lines "Docker" prints while building / pushing. */
  buildOutput?: string[];
  pushOutput?: string[];
  /** Rejections of build / push (after their output). */
  buildFailure?: Error;
  pushFailure?: Error;
  /** Builds never finish on their own: they end when cancelled, like a long `RUN`. */
  holdBuilds?: boolean;
};

/** A built image as the fake saw it: its tag, its context file by file, its network. */
export type FakeBuild = { tag: string; files: Map<string, string>; network: string };

/** Stands in for DockerImages: reads the context tar whole, answers made-up ids and digests. */
export class FakeImagePublisher implements ImagePublisher {
  readonly builds: FakeBuild[] = [];
  readonly pushes: string[] = [];
  /** `build <tag>` and `push <tag>`, in call order. */
  readonly calls: string[] = [];
  /** Why each cancelled build was cancelled (the signal's reason). */
  readonly cancelled: unknown[] = [];

  constructor(private readonly options: FakeImagePublisherOptions = {}) {}

  async build(
    context: Readable,
    tag: string,
    onLine: (line: string) => void,
    signal?: AbortSignal,
    options: ImageBuildOptions = { network: 'none' },
  ): Promise<{ imageId: string }> {
    this.calls.push(`build ${tag}`);
    const files = await filesOfTar(context);
    this.builds.push({ tag, files, network: options.network });
    for (const line of this.options.buildOutput ?? []) onLine(line);
    if (this.options.holdBuilds) await this.untilCancelled(signal);
    if (this.options.buildFailure) throw this.options.buildFailure;
    return { imageId: `sha256:${sha256(tag)}` };
  }

  async push(
    tag: string,
    onLine: (line: string) => void,
  ): Promise<{ digest: string; size: number; reference: string; upload: ImageUpload }> {
    this.calls.push(`push ${tag}`);
    this.pushes.push(tag);
    for (const line of this.options.pushOutput ?? []) onLine(line);
    if (this.options.pushFailure) throw this.options.pushFailure;
    const digest = FakeImagePublisher.digestOf(tag);
    const reference = `${tag.slice(0, tag.lastIndexOf(':'))}@${digest}`;
    return { digest, size: 1234, reference, upload: FakeImagePublisher.upload };
  }

  private async untilCancelled(signal: AbortSignal | undefined): Promise<never> {
    if (!signal?.aborted) {
      await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
    }
    this.cancelled.push(signal?.reason);
    throw signal?.reason;
  }

  /** What every fake push says it sent. */
  static readonly upload: ImageUpload = {
    layers: 7,
    pushedLayers: 1,
    pushedBytes: 1402,
    imageBytes: 84_113_920,
  };

  /** The digest the fake answers for a pushed tag. */
  static digestOf(tag: string): string {
    return `sha256:${sha256(`pushed ${tag}`)}`;
  }
}

async function filesOfTar(tar: Readable): Promise<Map<string, string>> {
  // Read whole first: a context that fails rejects here, as Docker's request would.
  const bytes: Buffer[] = [];
  for await (const chunk of tar) bytes.push(chunk as Buffer);
  const extractor = extract();
  extractor.end(Buffer.concat(bytes));
  const files = new Map<string, string>();
  for await (const entry of extractor) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    if (entry.header.type === 'file')
      files.set(entry.header.name, Buffer.concat(chunks).toString());
  }
  return files;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
