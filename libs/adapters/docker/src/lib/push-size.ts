import type { ImageUpload } from '@ml-run/registry-contract';

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
 */
export async function manifestLayers(
  repository: string,
  digest: string,
): Promise<ManifestLayer[] | undefined> {
  const slash = repository.indexOf('/');
  const registry = repository.slice(0, slash);
  const name = repository.slice(slash + 1);
  try {
    const response = await fetch(
      `${schemeOf(registry)}://${registry}/v2/${name}/manifests/${digest}`,
      {
        headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
        signal: AbortSignal.timeout(10_000),
      },
    );
    if (!response.ok) return undefined;
    const manifest = (await response.json()) as { layers?: ManifestLayer[] };
    return manifest.layers;
  } catch {
    return undefined;
  }
}

// dockerd itself treats loopback registries as plain HTTP; any other one speaks TLS.
function schemeOf(registry: string): 'http' | 'https' {
  const host = registry.replace(/:\d+$/, '');
  return host === 'localhost' || host.startsWith('127.') || host === '[::1]' ? 'http' : 'https';
}

function shortId(diffId: string): string {
  return diffId.replace(/^sha256:/, '').slice(0, 12);
}

function sum(layers: readonly ManifestLayer[]): number {
  return layers.reduce((total, layer) => total + layer.size, 0);
}
