import type { KubernetesObject } from '@ml-run/openshift';

type PodTemplate = {
  metadata?: { labels?: Record<string, string> };
  spec: Record<string, unknown>;
};
type WorkloadSpec = {
  template?: PodTemplate;
  jobTemplate?: { spec?: { template?: PodTemplate } };
  volumeClaimTemplates?: { metadata?: { name?: string } }[];
};

/**
 * The Pod each workload (Deployment, StatefulSet, DaemonSet, Job, CronJob) would create,
 * for PodSecurity admission, which judges pods, not their controllers. A StatefulSet's
 * claim templates become the claims its first pod mounts.
 */
export function podOfWorkload(workload: KubernetesObject): KubernetesObject | undefined {
  const spec = workload['spec'] as WorkloadSpec | undefined;
  const template = spec?.template ?? spec?.jobTemplate?.spec?.template;
  if (!template) return undefined;
  const name = workload.metadata?.name ?? 'workload';
  const claims = (spec?.volumeClaimTemplates ?? []).map((claim) => ({
    name: claim.metadata?.name,
    persistentVolumeClaim: { claimName: `${claim.metadata?.name}-${name}-0` },
  }));
  const volumes = [...((template.spec['volumes'] as unknown[]) ?? []), ...claims];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-admission-check`,
      namespace: workload.metadata?.namespace,
      labels: template.metadata?.labels ?? {},
    },
    spec: { ...template.spec, ...(volumes.length > 0 ? { volumes } : {}) },
  };
}
