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
