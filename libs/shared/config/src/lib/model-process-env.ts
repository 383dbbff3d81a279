/**
 * The environment for processes that run model code: this process's, minus every MLRUN_
 * setting (they may hold the service's secrets; a model's settings reach it as ctx.config).
 */
export function modelProcessEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !key.startsWith('MLRUN_')) kept[key] = value;
  }
  return kept;
}

// What a worker running model code keeps of the wrapper's environment: how to find programs,
// the locale and time zone, and Node's own settings. Anything else there (a host's cloud
// credentials, an operator's tokens under other names) is not the model's.
const WORKER_KEPT = /^(PATH|HOME|TMPDIR|TZ|LANG|LANGUAGE|LC_[A-Z]+|NODE_[A-Z0-9_]+)$/;

/**
 * The environment of a node model worker: the manifest `env` (the model's own settings, also
 * its ctx.config) over the few variables of this process it needs (PATH, locale, NODE_*);
 * never an MLRUN_ setting, from either side.
 */
export function modelWorkerEnv(
  manifestEnv: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(modelProcessEnv(env))) {
    if (WORKER_KEPT.test(key)) kept[key] = value;
  }
  return { ...kept, ...modelProcessEnv(manifestEnv) };
}

// What package tools need from the host: the search path, locale, and the admin's proxy,
// CA and pip/npm settings. Nothing else of the builder's (no MLRUN_, no cloud credentials).
const TOOL_ENV =
  /^(?:PATH|LANG|LC_[A-Z]+|TZ|(?:HTTPS?|NO|ALL)_PROXY|(?:https?|no|all)_proxy|SSL_CERT_(?:FILE|DIR)|NODE_EXTRA_CA_CERTS|REQUESTS_CA_BUNDLE|PIP_[A-Z_]+|npm_config_[a-z_]+|NPM_CONFIG_[A-Z_]+)$/;

/**
 * The environment for package tools (pip, npm) that install a bundle's dependencies: only
 * the host's search path, locale, proxy, CA and pip/npm settings, never an MLRUN_ one.
 */
export function buildToolEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && TOOL_ENV.test(key) && !key.startsWith('MLRUN_')) kept[key] = value;
  }
  return kept;
}
