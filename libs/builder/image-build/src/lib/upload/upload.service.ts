import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';

import { BuilderError, ModelAccess, ModelEvents, type Principal } from '@ml-run/builder-registry';
import { KeyedMutex } from '@ml-run/keyed-mutex';
import {
  RegistryErrorCode,
  type ModelVersionRecord,
  type UploadResponse,
} from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { BuildService } from '../build/build.service';
import { BundleIntake, type IncomingBundle, type ReceivedBundle } from './bundle-intake.service';
import { UploadMetrics } from './upload.metrics';

/** The upload field (multipart, before the zip) or query parameter naming a new model's owner groups. */
export const OWNER_GROUPS_FIELD = 'ownerGroups';

/**
 * `POST /v1/models`: a checked bundle becomes a version (and a build), or, when that
 * version exists, the answer names its build. Nothing is recorded for a refused upload.
 * Only the bundle names its model, so who may upload it is checked once it is read: the
 * caller needs models:write on it and to own it, or creates it and becomes its owner.
 */
@Injectable()
export class UploadService {
  // One registration per model at a time: two identical uploads make one version.
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly intake: BundleIntake,
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    private readonly builds: BuildService,
    private readonly events: ModelEvents,
    private readonly metrics: UploadMetrics,
    private readonly access: ModelAccess,
  ) {}

  /** `ownerGroups`: for a new model, the groups that own it with the caller. */
  async upload(
    incoming: IncomingBundle,
    caller: Principal,
    ownerGroups: readonly string[],
  ): Promise<UploadResponse> {
    let bundle: ReceivedBundle;
    try {
      bundle = await this.intake.receive(incoming);
    } catch (error) {
      this.metrics.refused(error);
      throw error;
    }
    try {
      const name = bundle.info.manifest.name;
      const groups = [...ownerGroups, ...splitGroups(bundle.fields.get(OWNER_GROUPS_FIELD))];
      const response = await this.mutex.run(name, async () => {
        await this.access.admitUpload(caller, name, groups);
        return this.register(bundle, caller.sub);
      });
      this.metrics.counted(response.created ? 'created' : 'existing');
      return response;
    } finally {
      await this.intake.discard(bundle);
    }
  }

  private async register(bundle: ReceivedBundle, uploadedBy: string): Promise<UploadResponse> {
    const { name } = bundle.info.manifest;
    const { version } = bundle.info;
    const existing = await this.store.getVersion(name, version);
    if (existing !== undefined && existing.state !== 'build_failed') {
      checkSameContent(existing, bundle);
      return { name, version, buildId: existing.buildId, created: false };
    }
    // A version whose build failed is built again from this upload: the only way to retry.
    await this.intake.keep(bundle);
    const record = versionRecord(bundle, uploadedBy);
    await this.store.putVersion(record);
    if (existing === undefined) {
      const { bundleSha256 } = record;
      await this.events.publish({
        type: 'model.uploaded',
        name,
        version,
        bundleSha256,
        uploadedBy,
      });
    }
    await this.builds.start(record);
    return { name, version, buildId: record.buildId, created: existing === undefined };
  }
}

/** `a,b` and repeated values alike: ['a', 'b']. */
export function splitGroups(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((g) => g.trim())
    .filter(Boolean);
}

// The version names code and coefficients, so other files under it would be served as
// what was uploaded first: that upload must say so instead of answering the old build.
function checkSameContent(existing: ModelVersionRecord, bundle: ReceivedBundle): void {
  const { contentDigest, manifest } = bundle.info;
  if (existing.contentDigest === undefined || existing.contentDigest === contentDigest) return;
  throw new BuilderError(
    RegistryErrorCode.VersionConflict,
    `${existing.name} ${existing.version} exists with other files (same codeVersion ` +
      `${manifest.codeVersion} and coefficients, other code): raise codeVersion in ` +
      'ml-run.yaml to publish this code as a new version',
  );
}

function versionRecord(bundle: ReceivedBundle, uploadedBy: string): ModelVersionRecord {
  const { manifest, version, coefficientsDigest } = bundle.info;
  const record: ModelVersionRecord = {
    name: manifest.name,
    version,
    codeVersion: manifest.codeVersion,
    coefficientsDigest,
    runtime: manifest.runtime,
    bundleSha256: bundle.sha256,
    contentDigest: bundle.info.contentDigest,
    bundleBytes: bundle.bytes,
    defaultReplicas: manifest.replicas,
    uploadedBy,
    uploadedAt: new Date().toISOString(),
    buildId: `b-${randomUUID()}`,
    state: 'uploaded',
  };
  if (manifest.coefficients.version !== undefined) {
    record.coefficientsVersion = manifest.coefficients.version;
  }
  return record;
}
