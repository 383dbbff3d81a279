import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { access, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { BuilderError, DataDirs } from '@ml-run/builder-registry';
import { DEFAULT_ZIP_LIMITS, inspectBundle, type BundleInfo } from '@ml-run/model-contract';
import { RegistryErrorCode } from '@ml-run/registry-contract';
import { syncDir } from '@ml-run/registry-store';

import { BUILD_POLICY, checkSourceBuilds, type BuildPolicy } from '../build/source-builds';
import { multipartBundle } from './multipart-bundle';

/** What the HTTP layer hands over: the raw body, unread. */
export type IncomingBundle = {
  contentType: string | undefined;
  contentLength: number | undefined;
  body: unknown;
};

/**
 * An upload on disk (in uploads/) that inspectBundle accepted, with the multipart fields
 * sent before the zip (none for a raw body).
 */
export type ReceivedBundle = {
  tempPath: string;
  sha256: string;
  bytes: number;
  info: BundleInfo;
  fields: ReadonlyMap<string, readonly string[]>;
};

export const MAX_BUNDLE_BYTES = Symbol('MAX_BUNDLE_BYTES');

const ZIP_TYPES = ['application/zip', 'application/octet-stream'];

/**
 * Receives bundle uploads: streams the body to `uploads/<uuid>.partial` under a size cap,
 * hashing it, then checks it with inspectBundle (zip, manifest, dependency files) and the
 * build policy (source builds). A refused upload leaves no file behind.
 */
@Injectable()
export class BundleIntake implements OnApplicationBootstrap {
  private readonly logger = new Logger(BundleIntake.name);

  constructor(
    private readonly dirs: DataDirs,
    @Inject(MAX_BUNDLE_BYTES) private readonly maxBytes: number,
    @Inject(BUILD_POLICY) private readonly policy: BuildPolicy,
  ) {}

  // Parts of uploads a crash interrupted: nothing refers to them.
  async onApplicationBootstrap(): Promise<void> {
    await mkdir(this.dirs.uploads, { recursive: true });
    const leftovers = await readdir(this.dirs.uploads);
    await Promise.all(
      leftovers.map((name) => rm(path.join(this.dirs.uploads, name), { force: true })),
    );
    if (leftovers.length > 0)
      this.logger.log({ files: leftovers.length }, 'interrupted uploads removed');
  }

  async receive(incoming: IncomingBundle): Promise<ReceivedBundle> {
    const form = uploadForm(incoming.contentType);
    if (incoming.contentLength !== undefined && incoming.contentLength > this.maxBytes) {
      throw bundleTooLarge(this.maxBytes);
    }
    const tempPath = path.join(this.dirs.uploads, `${randomUUID()}.partial`);
    try {
      const body = bodyStream(incoming.body);
      const fields = new Map<string, string[]>();
      const zip =
        form === 'multipart'
          ? await multipartBundle(body, { 'content-type': incoming.contentType }, fields)
          : body;
      const { sha256, bytes } = await this.writeCapped(zip, tempPath);
      const info = await inspectBundle(tempPath, DEFAULT_ZIP_LIMITS);
      checkSourceBuilds(info.manifest, this.policy);
      return { tempPath, sha256, bytes, info, fields };
    } catch (error) {
      await rm(tempPath, { force: true });
      throw error;
    }
  }

  /** Moves the bundle to its content address `bundles/<sha256>.zip` (kept if already there). */
  async keep(bundle: ReceivedBundle): Promise<void> {
    const target = this.dirs.bundleZip(bundle.sha256);
    await mkdir(this.dirs.bundles, { recursive: true });
    const present = await access(target).then(
      () => true,
      () => false,
    );
    if (present) return this.discard(bundle);
    await rename(bundle.tempPath, target);
    await syncDir(this.dirs.bundles);
  }

  discard(bundle: ReceivedBundle): Promise<void> {
    return rm(bundle.tempPath, { force: true });
  }

  private async writeCapped(body: Readable, file: string) {
    await mkdir(path.dirname(file), { recursive: true });
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      // destroyOnReturn false: destroying a request body resets the socket, and the client
      // would never read the 413; the rest is drained instead (and the connection closed).
      for await (const chunk of body.iterator({
        destroyOnReturn: false,
      }) as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > this.maxBytes) throw bundleTooLarge(this.maxBytes);
        hash.update(chunk);
        if (!out.write(chunk)) await drained(out);
      }
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      body.resume();
      out.destroy();
      throw error;
    }
    return { sha256: hash.digest('hex'), bytes };
  }
}

// docs/architecture.md §2: the zip as the raw body, or as the multipart file field `bundle`.
function uploadForm(contentType: string | undefined): 'raw' | 'multipart' {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (ZIP_TYPES.includes(type)) return 'raw';
  if (type === 'multipart/form-data') return 'multipart';
  throw new BuilderError(
    RegistryErrorCode.UnsupportedUpload,
    `content-type ${type || '(none)'} is not a bundle upload: send the zip as the raw body with content-type: application/zip (curl --data-binary @bundle.zip -H 'content-type: application/zip'), or as the multipart file field "bundle" (curl -F bundle=@bundle.zip)`,
  );
}

export function bundleTooLarge(maxBytes: number): BuilderError {
  return new BuilderError(
    RegistryErrorCode.BundleTooLarge,
    `the bundle is larger than ${maxBytes} bytes (MLRUN_MAX_BUNDLE_BYTES); leave training data and caches out of it`,
  );
}

function bodyStream(body: unknown): Readable {
  if (body instanceof Readable) return body;
  if (Buffer.isBuffer(body)) return Readable.from([body]);
  return Readable.from([]);
}

function drained(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    out.once('error', onError);
    out.once('drain', () => {
      out.off('error', onError);
      resolve();
    });
  });
}
