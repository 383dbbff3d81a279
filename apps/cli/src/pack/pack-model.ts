import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

import { inspectBundle, readModelDir, type BundleInfo } from '@ml-run/model-contract';

import { CliError } from '../cli.errors';
import { listBundleFiles } from './bundle-files';
import { writeBundleZip } from './write-bundle-zip';

export type PackedBundle = { file: string; bytes: number; bundle: BundleInfo };

/** `<name>-<version>.zip`; the version's "+" is kept as is. */
export const bundleFileName = (name: string, version: string) => `${name}-${version}.zip`;

/**
 * Packs a model folder into a bundle zip: checks the folder with the contract
 * (`readModelDir`), zips it deterministically, then checks the zip as the builder will
 * (`inspectBundle`). `outFile` defaults to `<name>-<version>.zip` in `cwd`.
 */
export async function packModel(
  dir: string,
  outFile?: string,
  cwd = process.cwd(),
): Promise<PackedBundle> {
  const stats = await stat(dir).catch(() => undefined);
  if (!stats?.isDirectory()) throw new CliError(`${dir} is not a folder`);
  const info = await readModelDir(dir);
  const file = path.resolve(cwd, outFile ?? bundleFileName(info.manifest.name, info.version));
  const files = await listBundleFiles(dir, new Set([file]));
  await mkdir(path.dirname(file), { recursive: true });
  await writeBundleZip(files, file);
  // A zip the builder would refuse is not left behind.
  const bundle = await inspectBundle(file).catch(async (error: unknown) => {
    await rm(file, { force: true });
    throw error;
  });
  return { file, bytes: (await stat(file)).size, bundle };
}
