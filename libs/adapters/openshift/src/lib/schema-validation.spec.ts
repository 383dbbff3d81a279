import guestbook from '../testing/library-go/guestbook.json';
import { validateRouteSchema, validateTemplateSchema } from './schema-validation';

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
