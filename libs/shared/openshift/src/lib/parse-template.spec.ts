import { parseTemplate } from './parse-template';

const yaml = (body: string) =>
  `kind: Template\napiVersion: template.openshift.io/v1\nmetadata:\n  name: t\n${body}`;

describe('parseTemplate', () => {
  it('reads YAML and JSON alike', () => {
    const fromYaml = parseTemplate(
      yaml('parameters:\n- name: A\n  value: "1"\nobjects:\n- kind: Service\n  apiVersion: v1\n'),
    );
    const fromJson = parseTemplate(JSON.stringify(fromYaml));
    expect(fromJson).toEqual(fromYaml);
    expect(fromYaml.parameters).toEqual([{ name: 'A', value: '1' }]);
    expect(fromYaml.objects).toEqual([{ kind: 'Service', apiVersion: 'v1' }]);
  });

  it('accepts the legacy apiVersion v1, and no objects', () => {
    expect(parseTemplate('kind: Template\napiVersion: v1\n').objects).toEqual([]);
  });

  it('refuses what is not a Template, saying what to set', () => {
    expect(() => parseTemplate('kind: List\napiVersion: v1\n', 'list.yaml')).toThrow(
      expect.objectContaining({
        code: 'TEMPLATE_INVALID',
        message: expect.stringMatching(
          /^list.yaml is a v1 List, not a Template: set kind: Template/,
        ),
      }),
    );
    expect(() => parseTemplate('- a\n- b\n')).toThrow(/must be a YAML or JSON object/);
    expect(() => parseTemplate('kind: [unclosed\n')).toThrow(/not valid YAML or JSON/);
    expect(() => parseTemplate(yaml('message: a\nmessage: b\n'))).toThrow(/unique/);
  });

  it('reads YAML 1.1 as oc does: unquoted numbers and yes/no are not strings', () => {
    const parse = (parameter: string) => () => parseTemplate(yaml(`parameters:\n- ${parameter}\n`));
    expect(parse('name: A\n  value: 3')).toThrow(
      /parameters\[0\]\.value must be a string: quote it/,
    );
    expect(parse('name: A\n  value: yes')).toThrow(/parameters\[0\]\.value must be a string/);
    expect(parse('name: N')).toThrow(/parameters\[0\]\.name must be a string/);
    expect(parse('name: A\n  value: "yes"')).not.toThrow();
  });

  it('checks parameter names as the server does, and every field at once', () => {
    let error: { code?: string; details?: string[] } = {};
    try {
      parseTemplate(
        yaml(
          'labels: {a: 1}\nparameters:\n- value: x\n- name: has-dash\n- name: OK\n  required: "true"\nobjects:\n- 5\n',
        ),
      );
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.details).toEqual([
      'labels must be a map of strings (quote numbers and booleans)',
      'objects[0] must be an object',
      'parameters[0].name is required',
      'parameters[1].name "has-dash" may hold only letters, digits and _',
      'parameters[2].required must be true or false',
    ]);
  });

  it('reads null fields as absent, as Go does', () => {
    const template = parseTemplate(yaml('labels: null\nparameters: null\nobjects: null\n'));
    expect(template).toEqual({
      kind: 'Template',
      apiVersion: 'template.openshift.io/v1',
      metadata: { name: 't' },
      objects: [],
    });
  });
});
