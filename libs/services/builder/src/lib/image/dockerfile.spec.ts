import {
  ContractErrorCode,
  modelVersion,
  readManifestFile,
  type Manifest,
} from '@ml-run/model-contract';

import { EXAMPLES } from '../../testing/test-bundles';
import { planDependencies, type DependencyPlan } from './dependency-plan';
import { dockerfileFor } from './dockerfile';
import { IMAGE_LABELS } from './image-labels';
import type { ImageOptions } from './image-options';
import { ImageContextErrorCode } from './image.errors';

const EXAMPLE_DIRS = {
  ...EXAMPLES,
  fraud: EXAMPLES.iris.replace('iris-python', 'fraud-score-python'),
};
const BASE = '127.0.0.1:5000/ml-run/base:abc123def456';
const BUNDLE_SHA = '5b1c0e6f3f0a4f7c9d2e8b1a6c3d5e7f9a0b2c4d6e8f1a3b5c7d9e0f2a4b6c8d';
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
    dependencies,
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
        'model/requirements.txt /opt/ml-run/model/',
        'wrapper/ /opt/ml-run/wrapper/',
        'model/ /opt/ml-run/model/',
        'coefficients/ /opt/ml-run/model/',
      ]);
    });

    it('installs the dependencies before the wrapper and the code are copied', () => {
      const sut = build({ kind: 'pip' });
      const at = (args: string) => sut.findIndex((i) => i.args === args);
      const run = sut.findIndex((i) => i.keyword === 'RUN');
      expect(sut[run]?.args).toContain('pip install --no-cache-dir');
      expect(sut[run]?.args).toContain('--target /opt/ml-run/deps -r requirements.txt');
      expect(at('model/requirements.txt /opt/ml-run/model/')).toBeLessThan(run);
      expect(run).toBeLessThan(at('wrapper/ /opt/ml-run/wrapper/'));
      expect(run).toBeLessThan(at('model/ /opt/ml-run/model/'));
    });

    it('uses npm ci with a lock file and npm install without one, dev dependencies left out', () => {
      const npm = (plan: DependencyPlan) =>
        one(instructions(dockerfileFor(manifests.echo, optionsFor(manifests.echo, plan))), 'RUN')
          .args;
      expect(npm({ kind: 'npm', lockFile: 'npm-shrinkwrap.json' })).toMatch(/^npm ci --omit=dev /);
      expect(npm({ kind: 'npm' })).toMatch(/^npm install --no-package-lock --omit=dev /);
    });

    it('has no dependencies layer when the bundle declares none', () => {
      const sut = build();
      expect(sut.map((i) => i.keyword)).not.toContain('RUN');
      expect(sut.filter((i) => i.keyword === 'COPY')).toHaveLength(3);
      expect(JSON.stringify(sut)).not.toMatch(/requirements\.txt|\/opt\/ml-run\/deps|PYTHONPATH/);
    });

    it('runs as the non-root uid 10001, after everything that writes files', () => {
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
