import { optionalSecretVar, stringVar } from '@ml-run/config';

const url = (fallback: string) =>
  stringVar({
    default: fallback,
    pattern: /^https?:\/\/[^\s/]+(?:\/\S*)?$/,
    hint: 'must be an http(s) URL, e.g. http://127.0.0.1:8090',
  });

/** The variables the CLI reads (main.ts loads them once). */
export const cliConfigShape = {
  /** The builder (uploads, builds, deployments, aliases, the model registry). */
  MLRUN_URL: url('http://127.0.0.1:8090'),
  /** The router (predictions). */
  MLRUN_ROUTER_URL: url('http://127.0.0.1:8080'),
  /** The auth-issuer (login, logout). */
  MLRUN_AUTH_URL: url('http://127.0.0.1:8091'),
  /** Where ML-RUN keeps local state: the users file and the CLI's token (`cli-token.json`). */
  MLRUN_DATA_DIR: stringVar({ default: '~/.ml-run' }),
  MLRUN_USERS_FILE: stringVar().optional(),
  /** A password for `login` and `users add|passwd` without a prompt (scripts, CI). */
  MLRUN_PASSWORD: optionalSecretVar(),
  /** The interpreter `ml-run test` runs python models with. */
  MLRUN_PYTHON: stringVar({ default: 'python3' }),
  /** Rscript, for `ml-run test` of an R model. */
  MLRUN_RSCRIPT: stringVar({ default: 'Rscript' }),
};
