import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as core from 'kubernetes-models/v1';

import type { KubernetesObject } from '@ml-run/openshift';

// The Kubernetes API groups a template may use, as kubernetes-models' classes (each
// validates against the Kubernetes OpenAPI schema of its kind). Another group needs its
// module added here; an OpenShift group is checked by the OpenShift schemas instead.
const MODULES: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'batch/v1': batch,
  'networking.k8s.io/v1': networking,
  'policy/v1': policy,
  'rbac.authorization.k8s.io/v1': rbac,
};

type Validatable = new (data: unknown) => { validate(): void };

/** True for kinds of OpenShift's own API groups (route, build, image, template, ...). */
export function isOpenShiftKind(object: KubernetesObject): boolean {
  return /\.openshift\.io\//.test(object.apiVersion);
}

/**
 * The object's problems against the Kubernetes OpenAPI schema of its kind, as one line
 * each; empty when it validates. An apiVersion/kind without a schema here is a problem too.
 */
export function kubernetesSchemaProblems(object: KubernetesObject): string[] {
  const model = MODULES[object.apiVersion]?.[object.kind] as Validatable | undefined;
  if (typeof model !== 'function') {
    return [`no Kubernetes schema for ${object.apiVersion} ${object.kind} (kubernetes-schemas.ts)`];
  }
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}
