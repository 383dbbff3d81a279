import { parse } from 'yaml';

import { validateOpenShiftSchema, validateTemplateSchema } from '@ml-run/openshift';

import { isOpenShiftKind, kubernetesSchemaProblems } from './lib/kubernetes-schemas';
import { renderTemplate, templateFiles } from './lib/rendered-templates';

// Offline: each Template against openshift/api's OpenAPI definition, each rendered object
// against its kind's schema (Kubernetes OpenAPI through kubernetes-models; openshift/api's
// for OpenShift kinds: openapi.json for BuildConfig and ImageStream, which no live check
// here reaches (no CRD on plain Kubernetes), the CRD's schema for Route). An OpenShift kind
// @ml-run/openshift has no schema for fails, naming the kinds it has. The live apiserver
// checks the rest (templates.int-spec.ts): unknown fields, CEL rules, admission
// (PodSecurity).

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

  const openShift = objects.filter((o) => isOpenShiftKind(o));
  if (openShift.length > 0) {
    it.each(openShift.map((o) => [`${o.apiVersion} ${label(o)}`, o] as const))(
      "%s validates against openshift/api's schema of its kind",
      (_name, object) => {
        expect(validateOpenShiftSchema(object).errors).toEqual([]);
      },
    );
  }
});

describe('the schema checks', () => {
  // Controls: each check refuses a broken object, so a pass above means something.
  const rendered = (name: string) => {
    const file = files.find((f) => f.file === name);
    return { text: file?.text ?? '', objects: file ? renderTemplate(file) : [] };
  };
  const controlPlane = rendered('ml-run-control-plane.yaml');
  const modelBuild = rendered('ml-run-model-build.yaml');
  const withSpec = (kind: string, objects: typeof controlPlane.objects, spec: object) => {
    const object = objects.find((o) => o.kind === kind);
    expect(object).toBeDefined();
    return { ...object, spec: { ...(object?.['spec'] as object), ...spec } };
  };

  it('refuses a Deployment whose replicas is a string', () => {
    const broken = withSpec('Deployment', controlPlane.objects, { replicas: '2' });
    expect(
      kubernetesSchemaProblems(broken as (typeof controlPlane.objects)[number]).join(),
    ).toMatch(/replicas/);
  });

  it('refuses a Route with an empty host', () => {
    const broken = withSpec('Route', controlPlane.objects, { host: '' });
    expect(validateOpenShiftSchema(broken).valid).toBe(false);
  });

  it('refuses a BuildConfig whose strategy has a string for dockerStrategy', () => {
    const broken = withSpec('BuildConfig', modelBuild.objects, {
      strategy: { type: 'Docker', dockerStrategy: 'Dockerfile' },
    });
    expect(validateOpenShiftSchema(broken)).toEqual({
      valid: false,
      errors: ['/spec/strategy/dockerStrategy: must be object'],
    });
  });

  it('refuses an ImageStream whose lookupPolicy.local is not a boolean', () => {
    const broken = withSpec('ImageStream', modelBuild.objects, { lookupPolicy: { local: 'no' } });
    expect(validateOpenShiftSchema(broken)).toEqual({
      valid: false,
      errors: ['/spec/lookupPolicy/local: must be boolean'],
    });
  });

  it('refuses an OpenShift kind it has no schema for', () => {
    const deploymentConfig = { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig' };
    expect(validateOpenShiftSchema(deploymentConfig).errors.join()).toMatch(
      /no OpenShift schema for apiVersion "apps.openshift.io\/v1" kind "DeploymentConfig"/,
    );
  });

  it('refuses a Template whose parameter has no name', () => {
    const template = parse(controlPlane.text) as { parameters: object[] };
    template.parameters = [{ value: 'x' }];
    expect(validateTemplateSchema(template).valid).toBe(false);
  });
});
