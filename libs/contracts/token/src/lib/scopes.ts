/** The scope that covers everything on every model. */
export const ADMIN_SCOPE = 'admin';

/**
 * The actions a per-model scope grants, each the prefix of `<action>:<model>`.
 * @example MODEL_ACTIONS.map((action) => modelScope(action, 'iris')) // ['predict:iris', ...]
 */
export const MODEL_ACTIONS = ['predict', 'models:read', 'models:write'] as const;

/** One of MODEL_ACTIONS. */
export type ModelAction = (typeof MODEL_ACTIONS)[number];

/** The model part of a scope that stands for every model: `predict:*`. */
export const ALL_MODELS = '*';

/** The deprecated global write scope, and what it means now. */
export const LEGACY_WRITE_SCOPE = 'models:write';
const ALL_MODELS_WRITE = `${LEGACY_WRITE_SCOPE}:${ALL_MODELS}`;

// A model name is a DNS label starting with a letter.
const MODEL_NAME = '[a-z]([a-z0-9-]{0,61}[a-z0-9])?';

/**
 * Scope grammar (space-separated in OAuth messages):
 * - `admin` everything, every model
 * - `predict:<model>` call one model's predict; `predict:*` any model's
 * - `models:read:<model>` read one model's versions, bundles and build logs; `models:read:*` any
 * - `models:write:<model>` upload, deploy, undeploy, move aliases of one model (as one of its
 *   owners) and create it; `models:write:*` any model; write on a model implies read on it
 * - `models:write` (deprecated) the global write scope before models had owners: read as
 *   `models:write:*` everywhere, and rewritten to it on load (normalizeScope)
 *
 * `<model>` is a model name (a DNS label: `[a-z0-9-]`, starting with a letter), matched
 * exactly: `predict:iris` never covers `iris2`, and nothing with `:`, `*` or capitals
 * inside a name is a scope.
 * @example parseScopes('predict:iris models:write:iris') // ['predict:iris', 'models:write:iris']
 */
export const SCOPE_PATTERN = new RegExp(
  `^(${ADMIN_SCOPE}|${LEGACY_WRITE_SCOPE}|(${MODEL_ACTIONS.join('|')}):(\\${ALL_MODELS}|${MODEL_NAME}))$`,
);

type ParsedScope = { admin: true } | { admin: false; action: ModelAction; model: string };

/** @example isValidScope('models:read:iris') // true; isValidScope('predict:Iris') // false */
export function isValidScope(scope: string): boolean {
  return SCOPE_PATTERN.test(scope);
}

/**
 * The current spelling of a scope: the deprecated `models:write` becomes `models:write:*`;
 * every other scope is returned as it is.
 * @example normalizeScope('models:write') // 'models:write:*'
 */
export function normalizeScope(scope: string): string {
  return scope === LEGACY_WRITE_SCOPE ? ALL_MODELS_WRITE : scope;
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
 * The scope an action on one model needs (`*`: on every model).
 * @example modelScope('models:write', 'iris') // 'models:write:iris'
 */
export function modelScope(action: ModelAction, model: string): string {
  return `${action}:${model}`;
}

/**
 * The scope a caller needs to call predict on a model.
 * @example predictScope('iris') // 'predict:iris'
 */
export function predictScope(model: string): string {
  return modelScope('predict', model);
}

/**
 * Whether granted scopes cover a required one: `admin` covers all; `<action>:*` covers
 * `<action>:<model>` for every model; `models:write:<m>` also covers `models:read:<m>`.
 * A required scope that is not a scope is never covered (fail closed).
 * @example scopeAllows(['predict:*'], 'predict:iris') // true
 * @example scopeAllows(['predict:iris'], 'predict:iris2') // false
 * @example scopeAllows(['models:write:iris'], 'models:read:iris') // true
 */
export function scopeAllows(granted: readonly string[], required: string): boolean {
  const wanted = parseScope(required);
  if (wanted === undefined) return false;
  // The common cases first, without parsing: predict runs this on every call.
  if (granted.includes(required) || granted.includes(ADMIN_SCOPE)) return true;
  return granted.some((scope) => covers(parseScope(scope), wanted));
}

/**
 * Whether granted scopes allow `action` on at least one model (say, before an upload whose
 * model name is only known once the bundle is read).
 * @example allowsOnSomeModel(['models:write:iris'], 'models:write') // true
 */
export function allowsOnSomeModel(granted: readonly string[], action: ModelAction): boolean {
  return granted.some((scope) => {
    const parsed = parseScope(scope);
    return parsed !== undefined && (parsed.admin || actionCovers(parsed.action, action));
  });
}

function covers(granted: ParsedScope | undefined, wanted: ParsedScope): boolean {
  if (granted === undefined) return false;
  if (granted.admin) return true;
  if (wanted.admin || !actionCovers(granted.action, wanted.action)) return false;
  return granted.model === ALL_MODELS || granted.model === wanted.model;
}

// Write on a model implies read on it; nothing else implies anything.
function actionCovers(granted: ModelAction, wanted: ModelAction): boolean {
  return granted === wanted || (granted === 'models:write' && wanted === 'models:read');
}

function parseScope(scope: string): ParsedScope | undefined {
  if (!SCOPE_PATTERN.test(scope)) return undefined;
  if (scope === ADMIN_SCOPE) return { admin: true };
  const normalized = normalizeScope(scope);
  const cut = normalized.lastIndexOf(':');
  return {
    admin: false,
    action: normalized.slice(0, cut) as ModelAction,
    model: normalized.slice(cut + 1),
  };
}
