import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pack, type Header, type Pack } from 'tar-stream';

import type { Manifest } from '@ml-run/model-contract';

import {
  bundleEntries,
  bundleFileEntries,
  completeAndSort,
  npmEntries,
  wrapperEntries,
  type ContextEntry,
} from './context-files';
import { dependencyFiles, planDependencies, type DependencyPlan } from './dependency-plan';
import { dockerfileFor, fetchDockerfileFor, rPackagesDockerfileFor } from './dockerfile';
import { CONTEXT_DIRS, DOCKERFILE_NAME } from './image-layout';
import type { ImageOptions } from './image-options';

/** What a model image's build context is made from. */
export type BuildContextInput = {
  /**
   * The unpacked bundle as `unpackBundle` leaves it, and nothing else: every file in it
   * goes into the image (a folder the process build installed into would bring its
   * `.mlrun-deps/` or `node_modules/` along).
   */
  bundleDir: string;
  /** The model-wrapper build (`main.js`, `mlrun_worker.py`, ...). */
  wrapperDir: string;
  manifest: Manifest;
  /** The image options; the dependency plan is read from the bundle. */
  image: Omit<ImageOptions, 'dependencies'>;
  /** The manifest's dependencies.sourceBuilds, already allowed by the builder. */
  sourceBuilds?: boolean;
};

/** A build context ready for `docker build`: a tar stream, and what it was made of. */
export type ImageBuildContext = {
  dockerfile: string;
  /** Undefined: the bundle declares no dependencies (no dependencies layer). */
  dependencies: DependencyPlan | undefined;
  /** The context tar; read it once. It errors if a file changes while it is read. */
  tar: Readable;
};

// Fixed metadata: the same inputs give the same bytes, so the same layers.
const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');
const OWNER = { uid: 0, gid: 0, uname: '', gname: '' } as const;

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;

function header(entry: ContextEntry): EntryHeader {
  const base = { ...OWNER, name: entry.name, mtime: FIXED_MTIME };
  if (entry.type === 'directory') return { ...base, type: 'directory', mode: 0o755 };
  const size = 'content' in entry ? entry.content.byteLength : entry.size;
  return { ...base, type: 'file', mode: entry.mode, size };
}

type Sink = ReturnType<Pack['entry']>;

// Resolves once the sink takes more data, or is torn down (the pack was destroyed).
function drained(sink: Sink): Promise<void> {
  return new Promise((resolve) => {
    const settle = () => {
      sink.off('drain', settle);
      sink.off('close', settle);
      resolve();
    };
    sink.on('drain', settle);
    sink.on('close', settle);
  });
}

// Streams a file into its entry with backpressure (coefficients may be large).
async function copyInto(sink: Sink, source: string): Promise<void> {
  for await (const chunk of createReadStream(source)) {
    if (sink.destroying) return;
    if (!sink.write(chunk)) await drained(sink);
  }
  sink.end(undefined);
}

async function writeEntry(tar: Pack, entry: ContextEntry): Promise<void> {
  let sink: Sink | undefined;
  const written = new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    if (entry.type === 'directory') tar.entry(header(entry), done);
    else if ('content' in entry) tar.entry(header(entry), entry.content, done);
    else sink = tar.entry(header(entry), done);
  });
  // A failed entry also emits "error": `done` reports it, so it must not go unhandled.
  sink?.on('error', () => undefined);
  if (sink !== undefined && 'source' in entry) {
    try {
      await copyInto(sink, entry.source);
    } catch (error) {
      // The entry's callback fails too; that rejection is this one.
      written.catch(() => undefined);
      throw error;
    }
  }
  await written;
}

function packEntries(entries: readonly ContextEntry[]): Readable {
  const tar = pack();
  const writeAll = async () => {
    for (const entry of entries) await writeEntry(tar, entry);
  };
  writeAll().then(
    () => tar.finalize(),
    (error: unknown) => tar.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  // A plain Node stream for the caller (dockerode), from tar-stream's streamx one.
  return Readable.from(tar, { objectMode: false });
}

/**
 * The build context of a model image: `Dockerfile`, `wrapper/...`, `model/...` (the
 * bundle without its coefficients) and `coefficients/...` (the files at or below
 * `coefficients.path`, at their bundle paths). Entries are sorted, owned by 0:0, dated
 * 2000-01-01 and moded 0644/0755 (executable or not): identical inputs give a
 * byte-identical tar, and new coefficients change only the `coefficients/` entries (and
 * the Dockerfile's labels). Symlinks and special files are refused before anything is
 * streamed.
 */
export async function buildContext(input: BuildContextInput): Promise<ImageBuildContext> {
  const { manifest } = input;
  const dependencies = await planDependencies(
    input.bundleDir,
    manifest.runtime,
    input.sourceBuilds,
  );
  const dockerfile = dockerfileFor(manifest, { ...input.image, dependencies });
  const entries = completeAndSort([
    { type: 'file', name: DOCKERFILE_NAME, mode: 0o644, content: Buffer.from(dockerfile) },
    ...(await wrapperEntries(input.wrapperDir)),
    ...(await bundleEntries(input.bundleDir, manifest.coefficients.path)),
  ]);
  return { dockerfile, dependencies, tar: packEntries(entries) };
}

/**
 * The build context of an R model's packages image: only its `Dockerfile`
 * (`rPackagesDockerfileFor`); nothing of the bundle goes in.
 */
export function buildRPackagesContext(
  packages: readonly string[],
  baseImage: string,
): ImageBuildContext {
  const dockerfile = rPackagesDockerfileFor(packages, baseImage);
  const entries: ContextEntry[] = [
    { type: 'file', name: DOCKERFILE_NAME, mode: 0o644, content: Buffer.from(dockerfile) },
  ];
  return { dockerfile, dependencies: undefined, tar: packEntries(completeAndSort(entries)) };
}

/** What a dependency fetch image is built from. */
export type FetchContextInput = {
  bundleDir: string;
  plan: DependencyPlan;
  baseImage: string;
  /** The builder's npm package folder (npm plans only). */
  npmDir?: string;
  /** A CA bundle file the fetch trusts (a package proxy's own CA). */
  caFile?: string;
};

/**
 * The build context of a dependency fetch image: `Dockerfile` (`fetchDockerfileFor`),
 * `model/<dependency files>`, and, when given, `ca.pem` and `npm/...`. Nothing else of
 * the bundle goes in. Fixed owners, times and modes, as in `buildContext`.
 */
export async function buildFetchContext(input: FetchContextInput): Promise<ImageBuildContext> {
  const { plan } = input;
  if (plan.kind === 'npm' && input.npmDir === undefined) {
    throw new Error(
      'node dependencies need npm in their fetch image and the base image has none: ' +
        "point MLRUN_IMAGE_NPM_DIR at the builder's npm package folder",
    );
  }
  const dockerfile = fetchDockerfileFor(plan, {
    baseImage: input.baseImage,
    caBundle: input.caFile !== undefined,
  });
  const entries: ContextEntry[] = [
    { type: 'file', name: DOCKERFILE_NAME, mode: 0o644, content: Buffer.from(dockerfile) },
    ...(await bundleFileEntries(input.bundleDir, dependencyFiles(plan))),
  ];
  if (input.caFile !== undefined) {
    entries.push({
      type: 'file',
      name: CONTEXT_DIRS.ca,
      mode: 0o644,
      content: await readFile(input.caFile),
    });
  }
  if (plan.kind === 'npm' && input.npmDir !== undefined) {
    entries.push(...(await npmEntries(input.npmDir)));
  }
  return { dockerfile, dependencies: plan, tar: packEntries(completeAndSort(entries)) };
}
