import { ContractError, ContractErrorCode } from '../contract.errors';
import { checkDependencyFiles } from './check-dependency-files';
import { packageJsonIssues } from './check-package-json';
import { requirementsIssues } from './check-requirements';

const refusal = (run: () => void): ContractError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe(requirementsIssues.name, () => {
  it.each([
    'numpy==2.1.0',
    'numpy',
    'pandas[excel,performance]>=2.0,<3 ; python_version > "3.9"',
    'scikit-learn~=1.5.0',
    'zope.interface===6.0',
    'numpy==2.1.0 --hash=sha256:0123456789abcdef',
    'numpy==2.1.0 \\\n    --hash=sha256:0123456789abcdef',
    '--require-hashes',
    '--prefer-binary',
    '# a comment\n\nnumpy==2.1.0  # pinned',
  ])('accepts %j', (text) => {
    expect(requirementsIssues(text)).toEqual([]);
  });

  it.each([
    ['--extra-index-url https://evil.example/simple', '--extra-index-url'],
    ['--extra-index-url=https://evil.example/simple', '--extra-index-url'],
    ['--index-url https://evil.example/simple', '--index-url'],
    ['-i https://evil.example/simple', '-i'],
    ['--find-links https://evil.example/wheels', '--find-links'],
    ['-f /tmp/wheels', '-f'],
    ['--trusted-host evil.example', '--trusted-host'],
    ['--no-index', '--no-index'],
    ['-e git+https://evil.example/x.git#egg=x', '-e'],
    ['--editable ./local', '--editable'],
    ['-r other.txt', '-r'],
    ['-c constraints.txt', '-c'],
    ['--no-binary :all:', '--no-binary'],
    ['numpy --config-settings=x=y', '--config-settings'],
    ['numpy --global-option=build_ext', '--global-option'],
    ['pkg @ https://evil.example/pkg-1.0.tar.gz', 'not a requirement by name'],
    ['https://evil.example/pkg-1.0.tar.gz', 'not a requirement by name'],
    ['git+https://evil.example/pkg.git', 'not a requirement by name'],
    ['./local-package', 'not a requirement by name'],
    ['pkg-1.0-py3-none-any.whl', 'not a requirement by name'],
    ['numpy==${VERSION}', 'environment variable'],
    ['numpy==2.1.0 \\\n--extra-index-url https://evil.example/simple', '--extra-index-url'],
  ])('refuses %j', (text, problem) => {
    const issues = requirementsIssues(`numpy==2.1.0\n${text}\n`);
    expect(issues).toEqual([
      { path: 'requirements.txt:2', message: expect.stringContaining(problem) },
    ]);
    expect(issues[0]?.message).toMatch(/^requirements\.txt line 2 .*by name and version only/);
  });
});

describe(packageJsonIssues.name, () => {
  it('accepts registry ranges and dist-tags', () => {
    const text = JSON.stringify({
      dependencies: { a: '^1.2.0', b: '~1', c: '1.x', d: '>=1 <2 || 3', e: '1.0.0 - 2.0.0' },
      devDependencies: { jest: 'latest', f: '*', g: '' },
      overrides: { h: { '.': '1.0.0', i: '2.0.0' } },
    });
    expect(packageJsonIssues(text)).toEqual([]);
  });

  it.each([
    ['dependencies', 'git+https://evil.example/x.git'],
    ['dependencies', 'https://evil.example/x-1.0.0.tgz'],
    ['dependencies', 'file:../x'],
    ['dependencies', 'link:../x'],
    ['dependencies', 'github:evil/x'],
    ['dependencies', 'evil/x'],
    ['dependencies', '../x'],
    ['dependencies', 'npm:evil@1.0.0'],
    ['devDependencies', 'git://evil.example/x.git'],
    ['optionalDependencies', 'http://evil.example/x.tgz'],
    ['peerDependencies', 'file:/etc'],
  ])('refuses %s given as %j', (field, spec) => {
    expect(packageJsonIssues(JSON.stringify({ [field]: { x: spec } }))).toEqual([
      {
        path: `package.json:${field}.x`,
        message: expect.stringMatching(/git, URL, file, link and alias specifiers/),
      },
    ]);
  });

  it('refuses a nested override given as a URL', () => {
    const text = JSON.stringify({ overrides: { a: { b: 'https://evil.example/b.tgz' } } });
    expect(packageJsonIssues(text)).toEqual([
      expect.objectContaining({ path: 'package.json:overrides.a.b' }),
    ]);
  });

  it.each(['{ nope', '[]', 'null'])('says %j is not a package.json', (text) => {
    expect(refusal(() => packageJsonIssues(text)).code).toBe(
      ContractErrorCode.DependencyFileInvalid,
    );
  });
});

describe(checkDependencyFiles.name, () => {
  it('refuses a requirements.txt with --extra-index-url, naming every problem', () => {
    const error = refusal(() =>
      checkDependencyFiles('python', {
        'requirements.txt':
          '--extra-index-url https://evil.example/simple\nx @ https://e.x/x.tgz\n',
      }),
    );
    expect(error.code).toBe(ContractErrorCode.DependencySourceRefused);
    expect(error.message).toMatch(
      /line 1 uses the option --extra-index-url.*\(and 1 more problem\)$/,
    );
    expect(error.details).toHaveLength(2);
  });

  it('refuses an .npmrc in a node bundle', () => {
    const error = refusal(() =>
      checkDependencyFiles('node', { '.npmrc': 'registry=https://evil.example/\n' }),
    );
    expect(error).toMatchObject({
      code: ContractErrorCode.DependencySourceRefused,
      message: expect.stringContaining('.npmrc is in the bundle'),
    });
  });

  it('refuses a lock file that resolves a package elsewhere than the npm registry', () => {
    const lock = JSON.stringify({
      packages: {
        '': { name: 'm' },
        'node_modules/a': { resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz' },
        'node_modules/b': { resolved: 'https://evil.example/b-1.0.0.tgz' },
      },
    });
    const error = refusal(() => checkDependencyFiles('node', { 'package-lock.json': lock }));
    expect(error.details).toEqual([
      expect.objectContaining({ path: 'package-lock.json:node_modules/b' }),
    ]);
  });

  it('accepts clean files, and a python bundle ignores package.json', () => {
    expect(() =>
      checkDependencyFiles('python', { 'requirements.txt': 'numpy==2.1.0\n' }),
    ).not.toThrow();
    expect(() =>
      checkDependencyFiles('node', {
        'package.json': '{"dependencies": {"left-pad": "1.3.0"}}',
        'package-lock.json': '{"packages": {"node_modules/left-pad": {"version": "1.3.0"}}}',
      }),
    ).not.toThrow();
  });
});
