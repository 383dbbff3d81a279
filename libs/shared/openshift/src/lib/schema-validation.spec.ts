import guestbook from '../testing/library-go/guestbook.json';
import {
  OPENSHIFT_SCHEMA_KINDS,
  validateOpenShiftSchema,
  validateRouteSchema,
  validateTemplateSchema,
} from './schema-validation';

// The schemas are openshift/api's (src/generated, from openapi.json and the Route CRD):
// these cases check that we apply them, and what they really accept and reject.

describe('validateTemplateSchema (openapi.json template.v1.Template)', () => {
  it("accepts library-go's guestbook template", () => {
    expect(validateTemplateSchema(guestbook)).toEqual({ valid: true, errors: [] });
  });

  it.each([
    ['parameters not a list', { parameters: { name: 'A' } }, '/parameters: must be array'],
    [
      'a parameter without name',
      { parameters: [{ value: 'x' }] },
      '/parameters/0/name: is required',
    ],
    [
      'a numeric parameter value',
      { parameters: [{ name: 'A', value: 3 }] },
      '/parameters/0/value: must be string',
    ],
    [
      'required not a boolean',
      { parameters: [{ name: 'A', required: 'yes' }] },
      '/parameters/0/required: must be boolean',
    ],
    ['a label that is not a string', { labels: { a: 1 } }, '/labels/a: must be string'],
    ['an object that is not an object', { objects: ['x'] }, '/objects/0: must be object'],
    ['no objects', { objects: undefined }, '/objects: is required'],
  ])('rejects %s', (_, change: Record<string, unknown>, error) => {
    const template: Record<string, unknown> = { ...structuredClone(guestbook), ...change };
    if ('objects' in change && change.objects === undefined) delete template.objects;
    expect(validateTemplateSchema(template)).toEqual({ valid: false, errors: [error] });
  });

  it('does not look inside objects: an object without kind passes (RawExtension is opaque)', () => {
    expect(validateTemplateSchema({ ...guestbook, objects: [{ metadata: {} }] }).valid).toBe(true);
  });
});

describe('validateRouteSchema (the Route CRD openAPIV3Schema)', () => {
  const route = (spec: Record<string, unknown>) => ({
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: 'router' },
    spec: { to: { kind: 'Service', name: 'router' }, ...spec },
  });

  it('accepts an edge route to a service port', () => {
    const result = validateRouteSchema(
      route({
        port: { targetPort: 'http' },
        tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
      }),
    );
    expect(result).toEqual({ valid: true, errors: [] });
  });

  it('applies defaults first, as the apiserver does (wildcardPolicy None)', () => {
    expect(validateRouteSchema(route({})).valid).toBe(true);
  });

  it.each([
    ['no target', { to: undefined }, '/spec/to: is required'],
    [
      'an unknown termination',
      { tls: { termination: 'bogus' } },
      '/spec/tls/termination: must be one of "edge", "reencrypt", "passthrough"',
    ],
    [
      'a boolean port',
      { port: { targetPort: true } },
      '/spec/port/targetPort: must be an integer or a string',
    ],
    [
      'a weight over 256',
      { to: { kind: 'Service', name: 'r', weight: 300 } },
      '/spec/to/weight: must be <= 256',
    ],
  ])('rejects %s', (_, spec, error) => {
    const value = route(spec);
    if ('to' in spec && spec.to === undefined) delete (value.spec as Record<string, unknown>).to;
    expect(validateRouteSchema(value).errors).toEqual([error]);
  });

  it('rejects a path on a passthrough route, naming the rule', () => {
    const result = validateRouteSchema(route({ path: '/x', tls: { termination: 'passthrough' } }));
    expect(result.errors).toEqual([
      '/spec: breaks the rule at #/properties/spec/allOf/0/anyOf (none of its alternatives holds)',
    ]);
  });

  it('does not change the object it checks', () => {
    const value = route({});
    const copy = structuredClone(value);
    validateRouteSchema(value);
    expect(value).toEqual(copy);
  });
});

describe('validateOpenShiftSchema (by apiVersion and kind)', () => {
  // A binary-source Docker build, as deploy/openshift/ml-run-model-build.yaml renders one.
  const buildConfig = () => ({
    apiVersion: 'build.openshift.io/v1',
    kind: 'BuildConfig',
    metadata: { name: 'ml-run-model-iris', labels: { 'ml-run.io/model': 'iris' } },
    spec: {
      runPolicy: 'Serial',
      source: { type: 'Binary', binary: {} },
      strategy: {
        type: 'Docker',
        dockerStrategy: {
          dockerfilePath: 'Dockerfile',
          from: { kind: 'DockerImage', name: 'registry.example/ml-run/base:1' },
          pullSecret: { name: 'pull' },
          noCache: false,
        },
      },
      output: {
        to: { kind: 'ImageStreamTag', name: 'ml-run-model-iris:latest' },
        imageLabels: [{ name: 'ml-run.io/model', value: 'iris' }],
      },
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2' } },
      completionDeadlineSeconds: 1800,
      triggers: [],
    },
  });
  const imageStream = (spec: Record<string, unknown>) => ({
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name: 'ml-run-model-iris' },
    spec,
  });
  type Change = (o: ReturnType<typeof buildConfig>) => void;
  const changed = (change: Change) => {
    const value = buildConfig();
    change(value);
    return value;
  };

  it('accepts a Docker-strategy BuildConfig with a binary source', () => {
    expect(validateOpenShiftSchema(buildConfig())).toEqual({ valid: true, errors: [] });
  });

  it('accepts a quantity written as a number, as the apiserver decodes it', () => {
    const value = changed((o) => Object.assign(o.spec.resources.limits, { cpu: 2 }));
    expect(validateOpenShiftSchema(value)).toEqual({ valid: true, errors: [] });
  });

  it('accepts an ImageStream with a lookup policy and a tag', () => {
    const value = imageStream({
      lookupPolicy: { local: false },
      tags: [{ name: 'base', from: { kind: 'DockerImage', name: 'registry.example/base:1' } }],
    });
    expect(validateOpenShiftSchema(value)).toEqual({ valid: true, errors: [] });
  });

  it.each<[string, Change, string[]]>([
    [
      'a dockerStrategy that is a string',
      (o) => Object.assign(o.spec.strategy, { dockerStrategy: 'Dockerfile' }),
      ['/spec/strategy/dockerStrategy: must be object'],
    ],
    [
      'no strategy',
      (o) => delete (o.spec as Partial<typeof o.spec>).strategy,
      ['/spec/strategy: is required'],
    ],
    [
      'a timeout in a string',
      (o) => Object.assign(o.spec, { completionDeadlineSeconds: '1800' }),
      ['/spec/completionDeadlineSeconds: must be integer'],
    ],
    [
      'noCache not a boolean',
      (o) => Object.assign(o.spec.strategy.dockerStrategy, { noCache: 'no' }),
      ['/spec/strategy/dockerStrategy/noCache: must be boolean'],
    ],
    [
      'a history limit beyond int32',
      (o) => Object.assign(o.spec, { successfulBuildsHistoryLimit: 2 ** 31 }),
      ['/spec/successfulBuildsHistoryLimit: must match format "int32"'],
    ],
    [
      'a trigger without type',
      (o) => Object.assign(o.spec, { triggers: [{}] }),
      ['/spec/triggers/0/type: is required'],
    ],
    [
      'an image label without name',
      (o) => Object.assign(o.spec.output, { imageLabels: [{ value: 'iris' }] }),
      ['/spec/output/imageLabels/0/name: is required'],
    ],
    [
      'a boolean quantity',
      (o) => Object.assign(o.spec.resources.requests, { cpu: true }),
      ['/spec/resources/requests/cpu: must be string or number'],
    ],
  ])('rejects a BuildConfig with %s', (_, change, errors) => {
    expect(validateOpenShiftSchema(changed(change))).toEqual({ valid: false, errors });
  });

  it.each([
    [
      'a lookup policy flag that is a string',
      { lookupPolicy: { local: 'no' } },
      '/spec/lookupPolicy/local: must be boolean',
    ],
    ['tags that are not a list', { tags: { latest: {} } }, '/spec/tags: must be array'],
    ['a tag without name', { tags: [{ reference: true }] }, '/spec/tags/0/name: is required'],
  ])('rejects an ImageStream with %s', (_, spec, error) => {
    expect(validateOpenShiftSchema(imageStream(spec))).toEqual({ valid: false, errors: [error] });
  });

  // openapi.json has no enums for these and no `additionalProperties: false`: OpenShift's
  // apiserver (its Go validation, strict field decoding) rejects them, this check cannot.
  it('does not know the strategy types or the fields a kind lacks', () => {
    const value = changed((o) => Object.assign(o.spec, { strategy: { type: 'Bogus' }, bogus: 1 }));
    expect(validateOpenShiftSchema(value).valid).toBe(true);
  });

  it("checks a Template against openapi.json's and a Route against its CRD's schema", () => {
    const template = { ...guestbook, apiVersion: 'template.openshift.io/v1', kind: 'Template' };
    expect(validateOpenShiftSchema(template)).toEqual({ valid: true, errors: [] });
    expect(validateOpenShiftSchema({ ...template, objects: 3 }).errors).toEqual([
      '/objects: must be array',
    ]);
    const route = { apiVersion: 'route.openshift.io/v1', kind: 'Route', spec: {} };
    expect(validateOpenShiftSchema(route).errors).toEqual(['/spec/to: is required']);
  });

  it.each([
    ['another OpenShift kind', { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig' }],
    ['the legacy apiVersion v1', { ...buildConfig(), apiVersion: 'v1' }],
    ['a Kubernetes kind', { apiVersion: 'apps/v1', kind: 'Deployment' }],
    ['no kind', { apiVersion: 'build.openshift.io/v1' }],
    ['not an object', 'BuildConfig'],
  ])('says when it has no schema for %s, naming those it has', (_, value) => {
    const result = validateOpenShiftSchema(value);
    expect(result.valid).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^\/: no OpenShift schema for apiVersion .* kind .*; known: /);
    expect(result.errors[0]).toContain(OPENSHIFT_SCHEMA_KINDS.join(', '));
  });

  it('names the apiVersion and kind it does not know', () => {
    const value = { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig' };
    expect(validateOpenShiftSchema(value).errors[0]).toContain(
      'apiVersion "apps.openshift.io/v1" kind "DeploymentConfig"',
    );
  });

  it('does not change the object it checks', () => {
    const value = buildConfig();
    validateOpenShiftSchema(value);
    expect(value).toEqual(buildConfig());
  });
});
