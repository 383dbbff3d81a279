import { enumVar, intVar, portVar, serverConfigShape, stringVar } from '@ml-run/config';

/** The wrapper's MLRUN_ variables (DESIGN.md §8, §4). */
export const modelWrapperConfigShape = {
  ...serverConfigShape,
  MLRUN_PORT: portVar(9000),
  /** The unpacked bundle to serve. */
  MLRUN_MODEL_DIR: stringVar(),
  /** When set, must equal the manifest's name: guards against serving the wrong bundle. */
  MLRUN_MODEL_NAME: stringVar().optional(),
  /** Only `disabled` exists until the authorization module lands. */
  MLRUN_AUTH_MODE: enumVar(['disabled'], 'disabled'),
  /** Predictions served at once; beyond it, 429 with Retry-After. */
  MLRUN_MAX_INFLIGHT: intVar({ min: 1, max: 100_000, default: 64 }),
  /** Python worker processes per replica (node models run in process). */
  MLRUN_WORKERS: intVar({ min: 1, max: 256, default: 1 }),
  MLRUN_PYTHON: stringVar({ default: 'python3' }),
};
