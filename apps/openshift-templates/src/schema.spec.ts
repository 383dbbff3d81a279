import { parse } from 'yaml';

import { validateRouteSchema, validateTemplateSchema } from '@ml-run/openshift';

import { isOpenShiftKind, kubernetesSchemaProblems } from './lib/kubernetes-schemas';
import { renderTemplate, templateFiles } from './lib/rendered-templates';

// Offline: each Template against openshift/api's OpenAPI definition, each rendered object
// against its kind's schema (Kubernetes OpenAPI through kubernetes-models, the Route CRD's
// schema). The live apiserver checks the rest (templates.int-spec.ts): unknown fields, CEL
// rules, admission (PodSecurity).

// OpenShift kinds that have no schema here yet: openshift/api's OpenAPI defines them, but
// @ml-run/openshift exposes validators for Template and Route only. They have no CRD on plain
// Kubernetes either, so no live check reaches them: keep this list short.
const UNCHECKED_OPENSHIFT_KINDS = [
  'build.openshift.io/v1 BuildConfig',
  'image.openshift.io/v1 ImageStream',
];

const files = templateFiles();

describe.each(files.map((f) => [f.file, f] as const))('%s', (_file, file) => {
  it("is a Template by openshift/api's OpenAPI schema", () => {
    expect(validateTemplateSchema(parse(file.text)).errors).toEqual([]);
  });

  const objects = renderTemplate(file);
  const label = (o: (typeof objects)[number]) => `${o.kind} ${o.metadata?.name}`;

  const kubernetes = objects.filter((o) => !isOpenShiftKind(o));
  if (kubernetes.length > 0) {
    it.each(kubernetes.map((o) => [label(o), o] as const))(
      '%s validates against the Kubernetes OpenAPI schema',
      (_name, object) => {
        expect(kubernetesSchemaProblems(object)).toEqual([]);
      },
    );
  }

  const routes = objects.filter(
    (o) => o.apiVersion === 'route.openshift.io/v1' && o.kind === 'Route',
  );
  if (routes.length > 0) {
    it.each(routes.map((o) => [label(o), o] as const))(
      "%s validates against the Route CRD's schema",
      (_name, route) => {
        expect(validateRouteSchema(route).errors).toEqual([]);
      },
    );
  }

  it('uses no OpenShift kind beyond Route and the few listed as unchecked', () => {
    const others = objects
      .filter((o) => isOpenShiftKind(o) && o.kind !== 'Route')
      .map((o) => `${o.apiVersion} ${o.kind}`);
    expect(others.filter((kind) => !UNCHECKED_OPENSHIFT_KINDS.includes(kind))).toEqual([]);
  });
});

describe('the schema checks', () => {
  // Controls: each check refuses a broken object, so a pass above means something.
  const controlPlane = files.find((f) => f.file === 'ml-run-control-plane.yaml');
  const objects = controlPlane ? renderTemplate(controlPlane) : [];

  it('refuses a Deployment whose replicas is a string', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment');
    const broken = { ...deployment, spec: { ...(deployment?.['spec'] as object), replicas: '2' } };
    expect(kubernetesSchemaProblems(broken as (typeof objects)[number]).join()).toMatch(/replicas/);
  });

  it('refuses a Route with an empty host', () => {
    const route = objects.find((o) => o.kind === 'Route');
    const broken = { ...route, spec: { ...(route?.['spec'] as object), host: '' } };
    expect(validateRouteSchema(broken).valid).toBe(false);
  });

  it('refuses a Template whose parameter has no name', () => {
    const template = parse(controlPlane?.text ?? '') as { parameters: object[] };
    template.parameters = [{ value: 'x' }];
    expect(validateTemplateSchema(template).valid).toBe(false);
  });
});
