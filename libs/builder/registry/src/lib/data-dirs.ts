import path from 'node:path';

/**
 * Where the builder keeps its files under MLRUN_DATA_DIR: `registry/` (the store),
 * `uploads/` (bodies being received), `bundles/<sha256>.zip` (content-addressed) and
 * `models/<name>/<version>/bundle/` (unpacked, what the wrappers run) and, while an image
 * is built, `models/<name>/<version>/image-bundle/` (a fresh unpack for its context).
 */
export class DataDirs {
  constructor(readonly root: string) {}

  get registry(): string {
    return path.join(this.root, 'registry');
  }

  get uploads(): string {
    return path.join(this.root, 'uploads');
  }

  get bundles(): string {
    return path.join(this.root, 'bundles');
  }

  bundleZip(sha256: string): string {
    return path.join(this.bundles, `${sha256}.zip`);
  }

  unpackedBundle(name: string, version: string): string {
    return path.join(this.root, 'models', name, version, 'bundle');
  }

  imageBundle(name: string, version: string): string {
    return path.join(this.root, 'models', name, version, 'image-bundle');
  }
}
