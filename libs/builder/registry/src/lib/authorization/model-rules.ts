import { Rule, type AccessRule } from '@ml-run/server';
import { MODEL_ACTIONS, modelScope, type ModelAction } from '@ml-run/token-contract';

const MODEL_TARGETS = ['name', 'build', 'some'] as const;

/** Which model a model rule is about: the path's `:name`, the build `:id`'s, or any one. */
export type ModelTarget = (typeof MODEL_TARGETS)[number];

/** A token rule's scope naming a model the request picks: `models:write:{name}`. */
export type ModelScopeTemplate = { action: ModelAction; target: ModelTarget };

const TEMPLATE = new RegExp(`^(${MODEL_ACTIONS.join('|')}):\\{(${MODEL_TARGETS.join('|')})\\}$`);

// The scope of a model rule: the action on the model the request picks, `{target}`.
const template = (action: ModelAction, target: ModelTarget) => modelScope(action, `{${target}}`);

/**
 * The builder's per-model doors, declared on each route like any rule: the scope names the
 * model the request acts on, which the enforcer reads from the route Fastify matched (its
 * decoded `:name`, or the build's model), so no spelling of a path picks another model.
 * Writing a model also needs being one of its owners (or admin).
 */
export const ModelRule = {
  /** models:read on the model in the path (models:write on it will do too). */
  read: (): AccessRule => Rule.token(template('models:read', 'name')),
  /** models:write on the model in the path, and being one of its owners or admin. */
  write: (): AccessRule => Rule.token(template('models:write', 'name')),
  /** models:read on the model the build in the path belongs to. */
  readBuild: (): AccessRule => Rule.token(template('models:read', 'build')),
  /**
   * models:write on some model: an upload names its model inside the bundle, so the upload
   * checks that model (scope and owners) once it has read the manifest.
   */
  upload: (): AccessRule => Rule.token(template('models:write', 'some')),
};

/** The template in a rule's scope, or undefined for a plain scope (`admin`) or none. */
export function modelScopeTemplate(scope: string | undefined): ModelScopeTemplate | undefined {
  const match = scope === undefined ? null : TEMPLATE.exec(scope);
  if (match === null) return undefined;
  return { action: match[1] as ModelAction, target: match[2] as ModelTarget };
}
