/**
 * Scope grammar (space-separated in OAuth messages):
 * - `predict:<model>` call one model's predict; `predict:*` any model's
 * - `models:write` upload, build, deploy, alias
 * - `admin` everything
 * @example parseScopes('predict:iris models:write') // ['predict:iris', 'models:write']
 */
export const SCOPE_PATTERN =
  /^(admin|models:write|predict:\*|predict:[a-z]([a-z0-9-]{0,61}[a-z0-9])?)$/;

/** @example isValidScope('predict:iris') // true; isValidScope('predict:Iris') // false */
export function isValidScope(scope: string): boolean {
  return SCOPE_PATTERN.test(scope);
}

/**
 * Splits an OAuth scope string; empty parts are dropped, order and duplicates removed.
 * @example parseScopes(' predict:iris  admin predict:iris') // ['predict:iris', 'admin']
 */
export function parseScopes(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))];
}

/** @example formatScopes(['predict:iris', 'admin']) // 'predict:iris admin' */
export function formatScopes(scopes: readonly string[]): string {
  return scopes.join(' ');
}

/**
 * The scope a caller needs to call predict on a model.
 * @example predictScope('iris') // 'predict:iris'
 */
export function predictScope(model: string): string {
  return `predict:${model}`;
}

/**
 * Whether granted scopes cover a required one: `admin` covers all, `predict:*` covers
 * every `predict:<model>`.
 * @example scopeAllows(['predict:*'], 'predict:iris') // true
 */
export function scopeAllows(granted: readonly string[], required: string): boolean {
  if (granted.includes(required) || granted.includes('admin')) return true;
  return required.startsWith('predict:') && granted.includes('predict:*');
}
