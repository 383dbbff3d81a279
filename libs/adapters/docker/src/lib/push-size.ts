import type { ImageUpload } from '@ml-run/registry-contract';

import { registryRequest, type RegistryCredential } from './registry/registry-access';

type ManifestLayer = { digest: string; size: number };

/**
 * Matches the push's per-layer status to the registry's manifest. Docker names a layer in
 * its push output by the first 12 hex of its diff id; the image's diff ids
 * (`RootFS.Layers`) and the manifest's layers are in the same order, so position i links
 * a status to a compressed size.
 */
export function pushSizeOf(
  diffIds: readonly string[],
  statusById: Readonly<Record<string, string>>,
  manifestLayers: readonly ManifestLayer[] | undefined,
): ImageUpload {
  const pushed = diffIds.map((diffId) => statusById[shortId(diffId)] === 'Pushed');
  const size: ImageUpload = {
    layers: diffIds.length,
    pushedLayers: pushed.filter(Boolean).length,
  };
  if (manifestLayers === undefined || manifestLayers.length !== diffIds.length) return size;
  size.pushedBytes = sum(manifestLayers.filter((_, i) => pushed[i]));
  size.imageBytes = sum(manifestLayers);
  return size;
}

/**
 * The layers of `<registry>/<repository>@<digest>` as the registry stores them, or
 * undefined when it does not answer (a push size is a report, never a reason to fail).
 * Over TLS (checked against `ca`), with `credential` when the registry needs one.
 */
export async function manifestLayers(
  repository: string,
  digest: string,
  access: { address: string; ca?: string; credential?: RegistryCredential },
): Promise<ManifestLayer[] | undefined> {
  const name = repository.slice(repository.indexOf('/') + 1);
  try {
    const answer = await registryRequest(access, `/v2/${name}/manifests/${digest}`, {
      credential: access.credential,
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    if (answer.status !== 200) return undefined;
    const manifest = JSON.parse(answer.body) as { layers?: ManifestLayer[] };
    return manifest.layers;
  } catch {
    return undefined;
  }
}

function shortId(diffId: string): string {
  return diffId.replace(/^sha256:/, '').slice(0, 12);
}

function sum(layers: readonly ManifestLayer[]): number {
  return layers.reduce((total, layer) => total + layer.size, 0);
}
