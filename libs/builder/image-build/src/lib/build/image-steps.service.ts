import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';

import { DataDirs, ModelEvents } from '@ml-run/builder-registry';
import {
  R_WORKER_PACKAGES,
  readManifestFile,
  rModelPackages,
  type Manifest,
} from '@ml-run/model-contract';
import type { ImageUpload, ModelImage, ModelVersionRecord } from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import {
  buildContext,
  buildFetchContext,
  buildRPackagesContext,
  type ImageBuildContext,
} from '../image/build-context';
import { planDependencies, type DependencyPlan } from '../image/dependency-plan';
import { WRAPPER_FILES } from '../image/image-layout';
import type { BuildRun, StepOutcome } from './build-run';
import { buildFromContext, withEngineOutput } from './engine-output';
import { IMAGE_PUBLISHING, type ImagePublishing } from './image-publisher.port';
import { fetchImageTag, imageTag, rPackagesImageTag } from './image-tag';
import {
  BUILD_POLICY,
  checkSourceBuilds,
  wantsSourceBuilds,
  type BuildPolicy,
} from './source-builds';
import { unpackBundle } from './unpack-bundle';

const NO_IMAGE = 'the process target runs the unpacked bundle: no image';
const SKIPPED: StepOutcome = { state: 'skipped', message: NO_IMAGE };

/**
 * The `image` and `push` steps. With image publishing configured: an image per version,
 * built from a fresh unpack of the bundle, pushed, and recorded on the version (with an
 * `image.pushed` event) only once the push succeeded. Without it: both are skipped.
 */
@Injectable()
export class ImageSteps {
  constructor(
    private readonly dirs: DataDirs,
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    private readonly events: ModelEvents,
    @Inject(IMAGE_PUBLISHING) private readonly images: ImagePublishing | undefined,
    @Inject(BUILD_POLICY) private readonly policy: BuildPolicy,
  ) {}

  async build(run: BuildRun, version: ModelVersionRecord): Promise<StepOutcome> {
    const { images } = this;
    if (images === undefined) return SKIPPED;
    const tag = imageTag(images.registry, version.name, version.version);
    // Not the process build's folder: its dependency step installed into that one.
    const bundleDir = this.dirs.imageBundle(version.name, version.version);
    await checkWrapper(images.wrapperDir, version.runtime);
    try {
      await unpackBundle(this.dirs.bundleZip(version.bundleSha256), bundleDir);
      const manifest = await readManifestFile(bundleDir);
      checkSourceBuilds(manifest, this.policy);
      const sourceBuilds = wantsSourceBuilds(manifest);
      const plan = await planDependencies(bundleDir, manifest.runtime, sourceBuilds);
      const fetchImage =
        plan === undefined ? undefined : await this.fetch(run, images, bundleDir, plan, version);
      const baseImage = await this.baseImageFor(run, images, manifest, version);
      const built = await this.buildFrom(run, images, tag, 'none', () =>
        buildContext({
          bundleDir,
          wrapperDir: images.wrapperDir,
          manifest,
          sourceBuilds,
          image: this.imageOptions(baseImage, version, fetchImage),
        }),
      );
      return { state: 'done', message: `${tag} (${built.imageId})` };
    } finally {
      await rm(bundleDir, { recursive: true, force: true });
    }
  }

  // The dependencies, fetched with network into an image the model image installs from.
  private async fetch(
    run: BuildRun,
    images: ImagePublishing,
    bundleDir: string,
    plan: DependencyPlan,
    version: ModelVersionRecord,
  ): Promise<string> {
    const tag = fetchImageTag(version.name, version.version);
    await this.buildFrom(run, images, tag, 'host', () =>
      buildFetchContext({
        bundleDir,
        plan,
        baseImage: images.baseImage,
        npmDir: images.npmDir,
        caFile: images.fetchCaFile,
      }),
    );
    return tag;
  }

  // R models start FROM the R base image, or FROM an image of it plus the Debian packages
  // their manifest names (built with network, for apt; never pushed).
  private async baseImageFor(
    run: BuildRun,
    images: ImagePublishing,
    manifest: Manifest,
    version: ModelVersionRecord,
  ): Promise<string> {
    if (manifest.runtime !== 'r') return images.baseImage;
    const baseImageR = images.baseImageR;
    if (baseImageR === undefined) {
      throw new Error(
        'runtime r needs the R base image: set MLRUN_BASE_IMAGE_R (tools/images/build-base-r.sh --print-tag)',
      );
    }
    const packages = rModelPackages(manifest.r).filter(
      (name) => !(R_WORKER_PACKAGES as readonly string[]).includes(name),
    );
    if (packages.length === 0) return baseImageR;
    const tag = rPackagesImageTag(version.name, version.version);
    run.log(`R packages from Debian: ${packages.join(' ')}`);
    await this.buildFrom(run, images, tag, 'host', () =>
      Promise.resolve(buildRPackagesContext(packages, baseImageR)),
    );
    return tag;
  }

  private async buildFrom(
    run: BuildRun,
    images: ImagePublishing,
    tag: string,
    network: 'none' | 'host',
    contextOf: () => Promise<ImageBuildContext>,
  ): Promise<{ imageId: string }> {
    let context: ImageBuildContext | undefined;
    try {
      context = await contextOf();
      const { tar } = context;
      const how = network === 'none' ? ' --network none' : ' --network host';
      run.log(`$ docker build${how} --tag ${tag} .`);
      return await withEngineOutput(run, (onLine) =>
        buildFromContext(images.publisher, tar, tag, onLine, run.abort.signal, { network }),
      );
    } finally {
      // Stop reading files before they go (a failed build may not have read them all).
      context?.tar.destroy();
    }
  }

  async push(run: BuildRun, version: ModelVersionRecord): Promise<StepOutcome> {
    const { images } = this;
    if (images === undefined) return SKIPPED;
    const tag = imageTag(images.registry, version.name, version.version);
    run.log(`$ docker push ${tag}`);
    const pushed = await withEngineOutput(run, (onLine) =>
      images.publisher.push(tag, onLine, run.abort.signal),
    );
    run.log(describeUpload(pushed.upload));
    const image: ModelImage = {
      reference: pushed.reference,
      tag,
      digest: pushed.digest,
      size: pushed.size,
      upload: pushed.upload,
      pushedAt: new Date().toISOString(),
    };
    await this.record(version, image);
    await this.events.publish({
      type: 'image.pushed',
      name: version.name,
      version: version.version,
      buildId: run.record.id,
      image: image.reference,
      digest: image.digest,
    });
    return { state: 'done', message: image.reference };
  }

  private imageOptions(
    baseImage: string,
    version: ModelVersionRecord,
    fetchImage: string | undefined,
  ) {
    return {
      baseImage,
      bundleSha256: version.bundleSha256,
      version: version.version,
      coefficientsDigest: version.coefficientsDigest,
      ...(fetchImage === undefined ? {} : { fetchImage }),
    };
  }

  private async record(version: ModelVersionRecord, image: ModelImage): Promise<void> {
    const current = await this.store.getVersion(version.name, version.version);
    await this.store.putVersion({ ...(current ?? version), image });
  }
}

/** `pushed 1 of 7 layers: 1.4 kB of 84.1 MB (compressed)` */
export function describeUpload(upload: ImageUpload): string {
  const layers = `pushed ${upload.pushedLayers} of ${upload.layers} layers`;
  if (upload.pushedBytes === undefined || upload.imageBytes === undefined) return layers;
  return `${layers}: ${bytes(upload.pushedBytes)} of ${bytes(upload.imageBytes)} (compressed)`;
}

function bytes(count: number): string {
  if (count < 1000) return `${count} B`;
  const [value, unit] = count < 1e6 ? [count / 1e3, 'kB'] : [count / 1e6, 'MB'];
  return `${value.toFixed(1)} ${unit}`;
}

// The image copies the wrapper folder whole: it must hold the wrapper and the worker that
// runs this model's code (a node model's image without mlrun-node-worker.js never gets ready).
async function checkWrapper(
  wrapperDir: string,
  runtime: ModelVersionRecord['runtime'],
): Promise<void> {
  for (const file of [WRAPPER_FILES.main, WRAPPER_FILES.worker[runtime]]) {
    const needed = path.join(wrapperDir, file);
    const found = await stat(needed).then(
      (info) => info.isFile(),
      () => false,
    );
    if (!found) {
      throw new Error(
        `the model-wrapper build is missing (${needed}): run npm run build, or point the ` +
          'builder at the folder that holds it',
      );
    }
  }
}
