import type { KubernetesList, KubernetesObject, ProcessedTemplate } from './template.types';

/**
 * The `kind: List` that `oc process` prints. Each object's keys are sorted, recursively,
 * as Go's JSON encoding of an unstructured object sorts them, so the printed list reads
 * like oc's.
 */
export function toList(processed: ProcessedTemplate): KubernetesList {
  return {
    kind: 'List',
    apiVersion: 'v1',
    metadata: {},
    items: processed.objects.map((object) => sortKeys(object) as KubernetesObject),
  };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    Object.defineProperty(out, key, {
      value: sortKeys((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}
