import type { Manifest } from '@ml-run/model-contract';

/** The bundle this wrapper serves, read and validated once at start. */
export type LoadedModel = {
  manifest: Manifest;
  /** `<codeVersion>+<12 hex of the coefficients digest>` */
  version: string;
  coefficientsDigest: string;
  modelDir: string;
  coefficientsDir: string;
};

export const LOADED_MODEL = Symbol('LOADED_MODEL');
export const MODEL_RUNTIME = Symbol('MODEL_RUNTIME');
