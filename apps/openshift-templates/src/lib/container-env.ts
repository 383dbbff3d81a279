import type { KubernetesObject } from '@ml-run/openshift';

type KeyRef = { name: string; key: string; optional?: boolean };
type EnvVar = {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef };
};
type EnvFrom = { configMapRef?: { name: string }; secretRef?: { name: string } };
export type Container = { name: string; env?: EnvVar[]; envFrom?: EnvFrom[] };
type PodSpec = { containers: Container[]; initContainers?: Container[] };

/** The pod template's spec of a workload (Deployment, StatefulSet, ...), or undefined. */
export function podSpecOf(object: KubernetesObject): PodSpec | undefined {
  const spec = object['spec'] as { template?: { spec?: PodSpec } } | undefined;
  return spec?.template?.spec;
}

/**
 * The environment the kubelet would give the container, its ConfigMaps and Secrets looked
 * up among the rendered objects of its namespace (Secret stringData, as the template
 * writes them). A reference to an object or key the objects lack throws, naming it.
 */
export function containerEnv(
  container: Container,
  namespace: string | undefined,
  objects: readonly KubernetesObject[],
): Record<string, string> {
  const data = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> => {
    const found = objects.find(
      (o) => o.kind === kind && o.metadata?.name === name && o.metadata?.namespace === namespace,
    );
    if (!found) throw new Error(`${container.name}: no ${kind} ${name} in namespace ${namespace}`);
    return (found[kind === 'Secret' ? 'stringData' : 'data'] ?? {}) as Record<string, string>;
  };
  const keyOf = (kind: 'ConfigMap' | 'Secret', ref: KeyRef): string => {
    const value = data(kind, ref.name)[ref.key];
    if (value === undefined)
      throw new Error(`${container.name}: no key ${ref.key} in ${kind} ${ref.name}`);
    return value;
  };
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, data('ConfigMap', from.configMapRef.name));
    if (from.secretRef) Object.assign(env, data('Secret', from.secretRef.name));
  }
  for (const variable of container.env ?? []) {
    const { secretKeyRef, configMapKeyRef } = variable.valueFrom ?? {};
    if (secretKeyRef) env[variable.name] = keyOf('Secret', secretKeyRef);
    else if (configMapKeyRef) env[variable.name] = keyOf('ConfigMap', configMapKeyRef);
    else env[variable.name] = variable.value ?? '';
  }
  return env;
}
