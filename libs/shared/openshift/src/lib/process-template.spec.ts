import { processTemplate } from './process-template';
import type { KubernetesObject, Template, TemplateParameter } from './template.types';

// Rules of oc process beyond library-go's own test tables: each cites the upstream code
// it follows (library-go pkg/template/templateprocessing/template.go, oc
// pkg/cli/process/process.go).

const configMap = (fields: Record<string, unknown>) => ({
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: { name: 'settings' },
  ...fields,
});

const template = (
  objects: Record<string, unknown>[],
  parameters: TemplateParameter[] = [],
  extra: Partial<Template> = {},
): Template => ({
  kind: 'Template',
  apiVersion: 'template.openshift.io/v1',
  objects,
  parameters,
  ...extra,
});

const only = (objects: KubernetesObject[]) => {
  expect(objects).toHaveLength(1);
  return objects[0];
};

describe('user parameters (oc injectUserVars)', () => {
  const declared = [
    { name: 'NAME', value: 'default' },
    { name: 'SECRET', generate: 'expression', from: '[a-z]{8}' },
  ];

  it('override the value and drop the generator', () => {
    const processed = processTemplate(
      template([configMap({ data: { s: '${SECRET}' } })], declared),
      {
        parameters: { SECRET: 'given' },
        generate: () => {
          throw new Error('must not generate a value the user gave');
        },
      },
    );
    expect(only(processed.objects).data).toEqual({ s: 'given' });
    expect(processed.parameters[1]).toEqual({ name: 'SECRET', value: 'given', from: '[a-z]{8}' });
  });

  it('refuse names the template does not declare, naming them all', () => {
    expect(() =>
      processTemplate(template([], declared), { parameters: { NAEM: 'x', OTHER: 'y' } }),
    ).toThrow(
      expect.objectContaining({
        code: 'PARAMETER_UNKNOWN',
        message: expect.stringMatching(/"NAEM", "OTHER".*declares NAME, SECRET/),
      }),
    );
  });

  it('ignore unknown names when asked', () => {
    const processed = processTemplate(template([configMap({ data: { n: '${NAME}' } })], declared), {
      parameters: { NAEM: 'x' },
      ignoreUnknownParameters: true,
    });
    expect(only(processed.objects).data).toEqual({ n: 'default' });
  });

  it('an empty value given for a required parameter is still missing', () => {
    expect(() =>
      processTemplate(template([], [{ name: 'R', required: true, value: 'x' }]), {
        parameters: { R: '' },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'PARAMETER_REQUIRED',
        message: expect.stringContaining('-p R=VALUE'),
      }),
    );
  });

  it('reports every missing parameter at once', () => {
    const error = (() => {
      try {
        processTemplate(
          template(
            [],
            [
              { name: 'A', required: true },
              { name: 'B', required: true },
            ],
          ),
        );
      } catch (e) {
        return e as { details: string[] };
      }
      return undefined;
    })();
    expect(error?.details).toHaveLength(2);
  });

  it('generates values with the crypto generator by default, once per processing', () => {
    const objects = [configMap({ data: { a: '${SECRET}', b: '${SECRET}' } })];
    const first = only(processTemplate(template(objects, declared)).objects).data as Record<
      string,
      string
    >;
    const second = only(processTemplate(template(objects, declared)).objects).data as Record<
      string,
      string
    >;
    expect(first.a).toMatch(/^[a-y]{8}$/);
    expect(first.b).toBe(first.a);
    expect(second.a).not.toBe(first.a);
  });
});

describe('substitution', () => {
  const values = (pairs: Record<string, string>) =>
    Object.entries(pairs).map(([name, value]) => ({ name, value }));

  it('does not expand a value again (no recursion)', () => {
    const processed = processTemplate(
      template(
        [configMap({ data: { a: '${A}', c: 'x-${A}-${A}' } })],
        values({ A: '${B}', B: 'b' }),
      ),
    );
    expect(only(processed.objects).data).toEqual({ a: '${B}', c: 'x-${B}-${B}' });
  });

  it("keeps upstream's replace-first quirk: a later ${B} replaces the first ${B} in the text so far", () => {
    const processed = processTemplate(
      template([configMap({ data: { q: '${A} ${B}' } })], values({ A: '${B}', B: 'b' })),
    );
    expect(only(processed.objects).data).toEqual({ q: 'b ${B}' });
  });

  it('leaves references to undeclared names as they are', () => {
    const processed = processTemplate(template([configMap({ data: { u: '${NOPE} ${{NOPE}}' } })]));
    expect(only(processed.objects).data).toEqual({ u: '${NOPE} ${{NOPE}}' });
  });

  it('${{P}} gives JSON numbers, booleans, lists and objects, and strings otherwise', () => {
    const processed = processTemplate(
      template(
        [
          {
            kind: 'Deployment',
            apiVersion: 'apps/v1',
            spec: {
              replicas: '${{REPLICAS}}',
              paused: '${{PAUSED}}',
              args: ['${{ARGS}}', '${{WORD}}', '${{HUGE}}'],
            },
          },
        ],
        values({ REPLICAS: '3', PAUSED: 'false', ARGS: '["a",1]', WORD: 'plain', HUGE: '1e400' }),
      ),
    );
    expect(only(processed.objects).spec).toEqual({
      replicas: 3,
      paused: false,
      args: [['a', 1], 'plain', '1e400'],
    });
  });

  it('${{P}} with JSON null removes the field, as upstream does; in a list it is refused', () => {
    const nulled = values({ N: 'null' });
    const processed = processTemplate(
      template([configMap({ data: { gone: '${{N}}', kept: 'k' } })], nulled),
    );
    expect(only(processed.objects).data).toEqual({ kept: 'k' });
    expect(() => processTemplate(template([configMap({ list: ['${{N}}'] })], nulled))).toThrow(
      expect.objectContaining({ code: 'PARAMETER_INVALID' }),
    );
  });

  it('substitutes map keys; a key cannot become a number, and two keys cannot become one', () => {
    const processed = processTemplate(
      template(
        [configMap({ data: { '${K}': 'v', '${{Q}}': 'w' } })],
        values({ K: 'key', Q: '"quoted"' }),
      ),
    );
    expect(only(processed.objects).data).toEqual({ key: 'v', quoted: 'w' });
    expect(() =>
      processTemplate(template([configMap({ data: { '${{N}}': 'v' } })], values({ N: '1' }))),
    ).toThrow(
      expect.objectContaining({
        code: 'PARAMETER_INVALID',
        message: expect.stringContaining('use ${NAME} in keys'),
      }),
    );
    expect(() =>
      processTemplate(
        template([configMap({ data: { '${K}': 'a', key: 'b' } })], values({ K: 'key' })),
      ),
    ).toThrow(expect.objectContaining({ code: 'PARAMETER_INVALID' }));
  });

  it('substitutes the message, and template labels keys and values', () => {
    const processed = processTemplate(
      template([configMap({})], values({ USER: 'admin', APP: 'ml-run' }), {
        message: 'Log in as ${USER}',
        labels: { 'app.kubernetes.io/${APP}': '${APP}' },
      }),
    );
    expect(processed.message).toBe('Log in as admin');
    expect(only(processed.objects).metadata?.labels).toEqual({
      'app.kubernetes.io/ml-run': 'ml-run',
    });
  });

  it('does not modify the template it is given', () => {
    const input = template(
      [configMap({ metadata: { name: '${N}', namespace: 'x' } })],
      values({ N: 'n' }),
      {
        labels: { a: 'b' },
      },
    );
    const copy = structuredClone(input);
    processTemplate(input, { parameters: { N: 'other' } });
    expect(input).toEqual(copy);
  });
});

describe('namespaces (upstream stripNamespace)', () => {
  const withNamespace = (namespace: unknown) => configMap({ metadata: { name: 'n', namespace } });
  const namespaceAfter = (namespace: unknown, options = {}) =>
    only(
      processTemplate(
        template([withNamespace(namespace)], [{ name: 'NS', value: 'chosen' }]),
        options,
      ).objects,
    ).metadata?.namespace;

  it('strips a namespace written in the template', () => {
    expect(namespaceAfter('hard-coded')).toBeUndefined();
  });

  it('keeps and substitutes a namespace holding a ${PARAMETER} reference', () => {
    expect(namespaceAfter('${NS}')).toBe('chosen');
    expect(namespaceAfter('team-${NS}')).toBe('team-chosen');
  });

  it('strips ${{NS}}: upstream only spares the ${NS} form', () => {
    expect(namespaceAfter('${{NS}}')).toBeUndefined();
  });

  it('the namespace option fills objects that have none, and only those', () => {
    expect(namespaceAfter('hard-coded', { namespace: 'install' })).toBe('install');
    expect(namespaceAfter('${NS}', { namespace: 'install' })).toBe('chosen');
  });
});

describe('objects', () => {
  it('moves legacy v1 OpenShift kinds to their groups, after substitution', () => {
    const processed = processTemplate(
      template(
        [
          { kind: 'Route', apiVersion: 'v1' },
          { kind: '${KIND}', apiVersion: 'v1' },
          { kind: 'Service', apiVersion: 'v1' },
          { kind: 'Route', apiVersion: 'route.openshift.io/v1' },
        ],
        [{ name: 'KIND', value: 'BuildConfig' }],
      ),
    );
    expect(processed.objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([
      'route.openshift.io/v1 Route',
      'build.openshift.io/v1 BuildConfig',
      'v1 Service',
      'route.openshift.io/v1 Route',
    ]);
  });

  it('refuses an object without kind, and a list object', () => {
    expect(() => processTemplate(template([{ apiVersion: 'v1', metadata: {} }]))).toThrow(
      expect.objectContaining({
        code: 'TEMPLATE_INVALID',
        message: expect.stringContaining('objects[0] has no kind'),
      }),
    );
    expect(() =>
      processTemplate(template([{ kind: 'List', apiVersion: 'v1', items: [] }])),
    ).toThrow(expect.objectContaining({ code: 'TEMPLATE_INVALID' }));
  });

  it('oc -l labels (the labels option) override the template labels', () => {
    const processed = processTemplate(
      template([configMap({})], [], { labels: { a: '1', b: '2' } }),
      {
        labels: { b: 'cli' },
      },
    );
    expect(only(processed.objects).metadata?.labels).toEqual({ a: '1', b: 'cli' });
  });
});
