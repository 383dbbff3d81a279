import { BUNDLE_PATH_PATTERN, normalizeBundlePath } from '@ml-run/model-contract';

import { ImageContextError, ImageContextErrorCode } from './image.errors';

/** Where things live inside a model image. */
export const IMAGE_PATHS = {
  root: '/opt/ml-run',
  wrapper: '/opt/ml-run/wrapper',
  model: '/opt/ml-run/model',
  /** python requirements (pip --target), put on PYTHONPATH. */
  pythonDeps: '/opt/ml-run/deps',
} as const;

/**
 * Where the dependency fetch image (built with network, as RUNTIME_UID) keeps what it
 * fetched, for the model image's offline install stage. Never in a model image.
 */
export const FETCH_PATHS = {
  home: '/home/mlrun',
  /** requirements.txt, or package.json (+ lock file) and then node_modules/. */
  project: '/home/mlrun/project',
  /** pip download's wheels. */
  wheels: '/home/mlrun/wheels',
  /** pip install --target, offline, in the model image's deps stage. */
  pythonDeps: '/home/mlrun/deps',
  /** The builder's npm (the base image has node, not npm). */
  npm: '/home/mlrun/npm-cli',
  /** A CA bundle the fetch trusts (a package proxy's own CA), when the builder has one. */
  ca: '/home/mlrun/ca.pem',
} as const;

/**
 * Top-level folders of the build context. `model/` and `coefficients/` are two overlays of
 * the same model folder, split by `coefficients.path`: each keeps its bundle-relative
 * paths, so both are copied onto /opt/ml-run/model/ and the Dockerfile never spells a
 * path that came from the manifest.
 */
export const CONTEXT_DIRS = {
  wrapper: 'wrapper',
  model: 'model',
  coefficients: 'coefficients',
  /** Fetch contexts only: the builder's npm, and the CA bundle file. */
  npm: 'npm',
  ca: 'ca.pem',
} as const;

export const DOCKERFILE_NAME = 'Dockerfile';

/**
 * Files of the model-wrapper build (dist/images/model-wrapper, as tools/build/build-apps.mjs
 * lays it out) that an image needs: the wrapper, and the worker its model's runtime starts.
 */
export const WRAPPER_FILES = {
  main: 'main.js',
  worker: { python: 'mlrun_worker.py', node: 'mlrun-node-worker.js', r: 'mlrun_worker.R' },
} as const;

/** The base image's non-root user `mlrun`; numeric so runAsNonRoot can verify it. */
export const RUNTIME_UID = 10001;

/** The wrapper's default port (MLRUN_PORT), used by the health check when unset. */
export const DEFAULT_WRAPPER_PORT = 9000;

const SAFE_PATH = new RegExp(BUNDLE_PATH_PATTERN);

/**
 * Whether a bundle file (bundle-relative, normalised) belongs to the coefficients layer:
 * it is the coefficients path itself (a single file) or lies below it (a folder).
 */
export function isCoefficientsFile(file: string, coefficientsPath: string): boolean {
  const base = normalizeBundlePath(coefficientsPath);
  return file === base || file.startsWith(`${base}/`);
}

/**
 * A context entry name checked to stay inside the context: relative, "/"-separated, no
 * "." or ".." segment, no "\" or control character (the bundle path rule).
 */
export function contextPath(...segments: string[]): string {
  const joined = segments.join('/');
  if (!SAFE_PATH.test(joined) || normalizeBundlePath(joined) !== joined) {
    throw new ImageContextError(
      ImageContextErrorCode.UnsafePath,
      `build context path ${JSON.stringify(joined)} is not a plain relative path inside the ` +
        'context (no "..", "\\", leading "/" or control characters): rename the file',
    );
  }
  return joined;
}
