import type { ObjectMeta, Parameter } from '../generated/openshift-api';

export type { Template, ObjectMeta, Route } from '../generated/openshift-api';

/** A template parameter (openshift/api's `template.v1.Parameter`). */
export type TemplateParameter = Parameter;

/** One object of a template or of its processed list: any Kubernetes kind. */
export type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
};

/** What `oc process` yields: the objects, and the parameters with their final values. */
export type ProcessedTemplate = {
  objects: KubernetesObject[];
  parameters: TemplateParameter[];
  /** The template's message, parameters substituted (oc prints it on instantiation). */
  message?: string;
  /** The labels put on every object (the template's, parameters substituted). */
  labels?: Record<string, string>;
};

/** The `kind: List` that `oc process` prints. */
export type KubernetesList = {
  kind: 'List';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  items: KubernetesObject[];
};
