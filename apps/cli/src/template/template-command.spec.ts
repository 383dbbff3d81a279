import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

import { describeFailure } from '../cli.errors';
import { cliHarness, type CliHarness } from '../testing/cli-harness';

type Item = {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: unknown;
  stringData?: { token: string };
};

const TEMPLATE = `kind: Template
apiVersion: template.openshift.io/v1
metadata:
  name: demo
labels:
  app: \${NAME}
parameters:
- name: NAME
  required: true
- name: REPLICAS
  value: "1"
- name: TOKEN
  generate: expression
  from: "[a-f0-9]{12}"
objects:
- kind: Deployment
  apiVersion: apps/v1
  metadata:
    name: \${NAME}
    namespace: somewhere
  spec:
    replicas: \${{REPLICAS}}
- kind: Secret
  apiVersion: v1
  metadata:
    name: \${NAME}-token
  stringData:
    token: \${TOKEN}
    flag: "yes"
`;

describe('ml-run template process', () => {
  let dir: string;
  let file: string;
  let sut: CliHarness;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cli-template-'));
    file = path.join(dir, 'template.yaml');
    await writeFile(file, TEMPLATE);
    sut = cliHarness({ dataDir: dir, readStdin: () => Promise.resolve(TEMPLATE) });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const printed = () => JSON.parse(sut.lines.join('\n')) as { kind: string; items: Item[] };

  it('prints the List oc process prints, as JSON by default', async () => {
    await sut.run('template', 'process', '-f', file, '-p', 'NAME=model', '-p', 'REPLICAS=3');
    const list = printed();
    expect(Object.keys(list)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
    expect(list.items[0]).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { labels: { app: 'model' }, name: 'model' },
      spec: { replicas: 3 },
    });
    expect(list.items[1].stringData?.token).toMatch(/^[a-e0-8]{12}$/);
    expect(sut.lines.join('\n')).toContain('\n    "apiVersion": "v1",');
  });

  it('prints YAML with -o yaml, keys sorted as oc prints them', async () => {
    await sut.run('template', 'process', '-f', file, '-p', 'NAME=model', '-o', 'yaml');
    const text = sut.lines.join('\n');
    expect(
      text.startsWith('apiVersion: v1\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n'),
    ).toBe(true);
    expect(text.endsWith('kind: List\nmetadata: {}')).toBe(true);
    expect(parse(text).items[0].spec).toEqual({ replicas: 1 });
    // oc reads YAML 1.1, where an unquoted yes is a boolean: strings stay quoted.
    expect(text).toContain('  flag: "yes"\n');
    expect(parse(text, { version: '1.1' }).items[1].stringData.flag).toBe('yes');
  });

  it('reads the template from stdin with -f -', async () => {
    await sut.run('template', 'process', '-f', '-', '-p', 'NAME=piped');
    expect(printed().items[0].metadata.name).toBe('piped');
  });

  it('reads --param-file values; -p wins, with a warning', async () => {
    const params = path.join(dir, 'params.env');
    await writeFile(params, '# settings\nNAME=from-file\nREPLICAS="2" # two\n');
    await sut.run('template', 'process', '-f', file, '--param-file', params, '-p', 'NAME=flag');
    expect(printed().items[0]).toMatchObject({ metadata: { name: 'flag' }, spec: { replicas: 2 } });
    expect(sut.status.join('')).toBe(
      `warning: Template parameter "NAME" already defined, ignoring value from file "${params}"\n`,
    );
  });

  it('labels every object with -l', async () => {
    await sut.run('template', 'process', '-f', file, '-p', 'NAME=m', '-l', 'team=ml,app=override');
    expect(printed().items[1].metadata.labels).toEqual({ app: 'override', team: 'ml' });
  });

  it('refuses unknown parameters unless told to ignore them', async () => {
    const failure = await sut
      .run('template', 'process', '-f', file, '-p', 'NAME=m', '-p', 'NAEM=x')
      .catch((e: unknown) => e);
    expect(describeFailure(failure)).toEqual({
      text: 'ml-run: unknown parameter name "NAEM": the template declares NAME, REPLICAS, TOKEN (or pass --ignore-unknown-parameters)',
      exitCode: 1,
    });
    expect(sut.lines).toEqual([]);
    await sut.run(
      'template',
      'process',
      '-f',
      file,
      '-p',
      'NAME=m',
      '-p',
      'NAEM=x',
      '--ignore-unknown-parameters',
    );
    expect(printed().items).toHaveLength(2);
  });

  it.each([
    [
      ['-p', 'REPLICAS=2'],
      /^ml-run: parameters\[0\] \(NAME\) is required and has no value: pass -p NAME=VALUE$/,
    ],
    [
      ['-p', 'NAME=a', '-p', 'NAME=b'],
      /^ml-run: The following parameters were provided more than once: NAME$/,
    ],
    [['-p', 'NAME'], /^ml-run: invalid parameter assignment in "NAME": write -p NAME=VALUE/],
  ])('fails with one line for %j', async (args, message) => {
    const failure = await sut
      .run('template', 'process', '-f', file, ...args)
      .catch((e: unknown) => e);
    const { text, exitCode } = describeFailure(failure);
    expect(text).toMatch(message);
    expect(exitCode).toBe(1);
  });

  it('says which file it cannot read, and what is not a template', async () => {
    const missing = await sut
      .run('template', 'process', '-f', path.join(dir, 'nope.yaml'))
      .catch((e: unknown) => e);
    expect(describeFailure(missing).text).toMatch(/^ml-run: cannot read .*nope\.yaml: ENOENT$/);
    await writeFile(file, 'kind: ConfigMap\napiVersion: v1\n');
    const wrong = await sut.run('template', 'process', '-f', file).catch((e: unknown) => e);
    expect(describeFailure(wrong).text).toMatch(/is a v1 ConfigMap, not a Template/);
  });
});
