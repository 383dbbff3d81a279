import { processTemplate } from './process-template';
import { toList } from './to-list';

describe('toList', () => {
  it("is oc process's List: kind, apiVersion, empty metadata, items with sorted keys", () => {
    const processed = processTemplate({
      kind: 'Template',
      apiVersion: 'template.openshift.io/v1',
      objects: [
        {
          metadata: { name: 'n' },
          kind: 'Service',
          apiVersion: 'v1',
          spec: { b: 1, a: { d: 1, c: 2 } },
        },
      ],
    });
    const list = toList(processed);
    expect(Object.keys(list)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
    expect(list).toMatchObject({ kind: 'List', apiVersion: 'v1', metadata: {} });
    expect(JSON.stringify(list.items)).toBe(
      '[{"apiVersion":"v1","kind":"Service","metadata":{"name":"n"},"spec":{"a":{"c":2,"d":1},"b":1}}]',
    );
  });
});
