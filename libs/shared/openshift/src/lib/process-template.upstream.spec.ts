import { goMathRand } from '../testing/go-math-rand';
import guestbookList from '../testing/library-go/guestbook_list.json';
import guestbook from '../testing/library-go/guestbook.json';
import { generateFromExpression } from './expression-generator';
import { checkTemplate } from './parse-template';
import { processTemplate } from './process-template';
import { TemplateError } from './template.errors';
import type { Template, TemplateParameter } from './template.types';

// Vectors ported from openshift/library-go pkg/template/templateprocessing/template_test.go
// (and testdata/guestbook*.json, copied as they are): the inputs and expected outputs are
// upstream's, rewritten for our API. Where upstream drives its processor with Go-only
// inputs (a generator returning a non-string, a nil generator), the case cannot be
// expressed here and is left out, saying so.

const template = (fields: Partial<Template>): Template => ({
  kind: 'Template',
  apiVersion: 'template.openshift.io/v1',
  objects: [],
  ...fields,
});

const param = (
  name: string,
  value: string,
  generate: string,
  required: boolean,
): TemplateParameter => ({
  name,
  ...(value ? { value } : {}),
  ...(generate ? { generate } : {}),
  ...(required ? { required } : {}),
});

// Upstream's seeded generator: Go's math/rand with seed 1337, shared by one processing.
const seededExpression = () => {
  const rand = goMathRand(1337);
  return (from: string) => generateFromExpression(from, rand.intn);
};

describe('TestParameterGenerators', () => {
  // Upstream names generators freely; ours has only "expression", whose implementation
  // the `generate` option replaces, as upstream's test injects its Foo/Error/Empty ones.
  const foo = () => 'foo';
  const failing = () => {
    throw new TemplateError('GENERATOR_INVALID', 'error');
  };
  const empty = () => '';

  it.each([
    ['empty generator, value kept', param('P1', 'X', '', false), undefined, 'X'],
    ['foo generator', param('P2', '', 'expression', false), foo, 'foo'],
  ])('passes: %s', (_, parameter, generate, expected) => {
    const processed = processTemplate(template({ parameters: [parameter] }), { generate });
    expect(processed.parameters[0].value).toBe(expected);
  });

  it.each([
    [
      'a generator that is not known',
      param('P3', '', 'foo', false),
      undefined,
      'GENERATOR_INVALID',
    ],
    ['a generator that fails', param('P4', '', 'expression', false), failing, 'GENERATOR_INVALID'],
    ['required, no value', param('P5', '', '', true), failing, 'PARAMETER_REQUIRED'],
    ['required, generated empty', param('P6', '', 'expression', true), empty, 'PARAMETER_REQUIRED'],
  ])('fails: %s', (_, parameter, generate, code) => {
    expect(() => processTemplate(template({ parameters: [parameter] }), { generate })).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining('parameters[0]') }),
    );
  });
  // Not portable: NoStringGenerator (a Go generator returning a non-string; ours are typed
  // to return strings) and a nil generator in the map.
});

describe('TestProcessValue', () => {
  it('substitutes ${P} and ${{P}} as upstream expects', () => {
    const processed = processTemplate(
      template({
        objects: [
          {
            kind: 'Service',
            apiVersion: 'v${VALUE}',
            metadata: {
              labels: {
                i1: '${{INT_1}}',
                invalidjsonmap: '${{INVALID_JSON_MAP}}',
                invalidjsonarray: '${{INVALID_JSON_ARRAY}}',
                key1: '${VALUE}',
                key2: '$${VALUE}',
                quoted_string: '${{STRING_1}}',
                s1_s1: '${STRING_1}_${STRING_1}',
                s1_s2: '${STRING_1}_${STRING_2}',
                untouched: 'a${{INT_1}}',
                untouched2: '${{INT_1}}a',
                untouched3: '${{INVALID_PARAMETER}}',
                untouched4: '${{INVALID PARAMETER}}',
                validjsonmap: '${{VALID_JSON_MAP}}',
                validjsonarray: '${{VALID_JSON_ARRAY}}',
              },
            },
          },
        ],
        parameters: [
          param('VALUE', '1', '', false),
          param('STRING_1', 'string1', '', false),
          param('STRING_2', 'string2', '', false),
          param('INT_1', '1', '', false),
          param('VALID_JSON_MAP', '{"key":"value"}', '', false),
          param('INVALID_JSON_MAP', '{"key":"value"', '', false),
          param('VALID_JSON_ARRAY', '["key","value"]', '', false),
          param('INVALID_JSON_ARRAY', '["key":"value"', '', false),
        ],
      }),
      { generate: seededExpression() },
    );
    expect(processed.objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          labels: {
            i1: 1,
            invalidjsonarray: '["key":"value"',
            invalidjsonmap: '{"key":"value"',
            key1: '1',
            key2: '$1',
            quoted_string: 'string1',
            s1_s1: 'string1_string1',
            s1_s2: 'string1_string2',
            untouched: 'a${{INT_1}}',
            untouched2: '${{INT_1}}a',
            untouched3: '${{INVALID_PARAMETER}}',
            untouched4: '${{INVALID PARAMETER}}',
            validjsonarray: ['key', 'value'],
            validjsonmap: { key: 'value' },
          },
        },
      },
    ]);
  });
});

describe('TestEvaluateLabels', () => {
  const service = (extra: Record<string, unknown>) => ({
    kind: 'Service',
    apiVersion: 'v1',
    ...extra,
  });
  const withLabels = { metadata: { labels: { key1: 'v1', key2: 'v2' } } };

  it.each([
    ['no labels', service(withLabels), [], undefined, { labels: { key1: 'v1', key2: 'v2' } }],
    [
      'one different label',
      service(withLabels),
      [],
      { key3: 'v3' },
      { labels: { key1: 'v1', key2: 'v2', key3: 'v3' } },
    ],
    [
      'overwrites label',
      service(withLabels),
      [],
      { key2: 'v3' },
      { labels: { key1: 'v1', key2: 'v3' } },
    ],
    [
      'parameterised labels',
      service(withLabels),
      [param('KEY', 'key', '', false), param('VALUE', 'value', '', false)],
      { '${KEY}': '${VALUE}' },
      { labels: { key: 'value', key1: 'v1', key2: 'v2' } },
    ],
  ])('%s', (_, object, parameters, labels, metadata) => {
    const processed = processTemplate(template({ objects: [object], parameters, labels }));
    expect(processed.objects).toEqual([{ apiVersion: 'v1', kind: 'Service', metadata }]);
  });

  it('when the root object has labels and metadata: only metadata.labels is labelled', () => {
    const object = service({ metadata: {}, labels: { key1: 'v1', key2: 'v2' } });
    const processed = processTemplate(template({ objects: [object], labels: { key3: 'v3' } }));
    expect(processed.objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        labels: { key1: 'v1', key2: 'v2' },
        metadata: { labels: { key3: 'v3' } },
      },
    ]);
    expect(processed.labels).toEqual({ key3: 'v3' });
  });
});

describe('TestProcessTemplateParameters (testdata/guestbook.json)', () => {
  it('gives testdata/guestbook_list.json, generated values included', () => {
    const input = checkTemplate(structuredClone(guestbook));
    // Upstream's addParameter: a parameter added to the template itself.
    input.parameters = [...(input.parameters ?? []), param('CUSTOM_PARAM1', '1', '', false)];

    const processed = processTemplate(input, { generate: seededExpression() });

    expect(processed.objects).toEqual(guestbookList.objects);
    expect(processed.parameters).toEqual(guestbookList.parameters);
    expect(processed.message).toBe(guestbookList.message);
  });
});

describe('TestAddConfigLabels', () => {
  // Upstream calls addObjectLabels on typed objects; here each case goes through the
  // template, where an absent template `labels` is upstream's nil and `{}` its empty map.
  const pod = (labels?: Record<string, string>) => ({
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: labels ? { labels } : {},
  });
  const labelsAfter = (object: Record<string, unknown>, labels?: Record<string, string>) =>
    processTemplate(template({ objects: [object], labels })).objects[0].metadata?.labels;

  it.each([
    ['[0] nil + nil => nil', pod(), undefined, undefined],
    ['[1] nil + empty labels => empty labels', pod(), {}, {}],
    ['[2] obj.Labels + nil => obj.Labels', pod({ foo: 'bar' }), undefined, { foo: 'bar' }],
    ['[3] obj.Labels + empty labels => obj.Labels', pod({ foo: 'bar' }), {}, { foo: 'bar' }],
    ['[4] nil + addLabels => addLabels', pod(), { foo: 'bar' }, { foo: 'bar' }],
    [
      '[5] obj.labels + addLabels => expectedLabels',
      pod({ baz: '' }),
      { foo: 'bar' },
      { foo: 'bar', baz: '' },
    ],
    [
      '[6] conflicting keys with the same value',
      pod({ foo: 'same value' }),
      { foo: 'same value' },
      { foo: 'same value' },
    ],
    [
      '[7] conflicting keys with a different value',
      pod({ foo: 'first value' }),
      { foo: 'second value' },
      { foo: 'second value' },
    ],
  ])('%s', (_, object, labels, expected) => {
    expect(labelsAfter(object, labels)).toEqual(expected);
  });

  it('[8] a ReplicationController: its pod template labels are not touched', () => {
    const rc = {
      kind: 'ReplicationController',
      apiVersion: 'v1',
      metadata: { labels: { foo: 'same value' } },
      spec: { template: { metadata: { labels: {} } } },
    };
    const [object] = processTemplate(template({ objects: [rc], labels: { foo: 'same value' } }))
      .objects as [typeof rc];
    expect(object.metadata.labels).toEqual({ foo: 'same value' });
    expect(object.spec.template.metadata.labels).toEqual({});
  });

  it('[9] a DeploymentConfig from a template: metadata labelled, pod template labels not', () => {
    // Upstream's case [9] labels the pod template of a *typed* DeploymentConfig. Process
    // decodes template objects as unstructured, so that branch never runs for them (oc
    // process leaves spec.template labels alone); this is what Process does.
    const dc = {
      kind: 'DeploymentConfig',
      apiVersion: 'apps.openshift.io/v1',
      metadata: { labels: { foo: 'first value' } },
      spec: { template: { metadata: { labels: { foo: 'first value' } } } },
    };
    const [object] = processTemplate(template({ objects: [dc], labels: { bar: 'second value' } }))
      .objects as [typeof dc];
    expect(object.metadata.labels).toEqual({ foo: 'first value', bar: 'second value' });
    expect(object.spec.template.metadata.labels).toEqual({ foo: 'first value' });
  });
});

describe('object_test.go (visitObjectStrings on maps)', () => {
  // Upstream visits keys and values alike, the empty string included; the visitor here is
  // parameter substitution.
  it.each([
    [{ '${K}': '${V}' }, { foo: 'bar' }],
    [{ '${E}': '${E}x' }, { '': 'x' }],
    [
      { nested: { '${K}': ['${V}', { '${V}': '${K}' }] } },
      { nested: { foo: ['bar', { bar: 'foo' }] } },
    ],
  ])('%j becomes %j', (data, expected) => {
    const processed = processTemplate(
      template({
        objects: [{ kind: 'ConfigMap', apiVersion: 'v1', data }],
        parameters: [param('K', 'foo', '', false), param('V', 'bar', '', false), { name: 'E' }],
      }),
    );
    expect(processed.objects[0].data).toEqual(expected);
  });
});
