import { Inject, Injectable } from '@nestjs/common';

import { RegistryErrorCode, type ModelOwners } from '@ml-run/registry-contract';
import { MODEL_NAME, REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';
import {
  allowsOnSomeModel,
  modelScope,
  scopeAllows,
  type ModelAction,
} from '@ml-run/token-contract';

import { BuilderError } from '../builder.errors';
import { scopeMissing } from './authorization.errors';
import { adminOwners, creatorOwners, isAdmin, mayChange } from './model-owners';
import type { ModelScopeTemplate } from './model-rules';
import type { Principal } from './request-authorizer.port';

/** Group names as the users file and LDAP mappings spell them; never a comma (the separator). */
const OWNER_GROUP = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$/;

/**
 * What a caller may do to which model: per-model scopes (scopeAllows, the one matcher), and
 * for changes, being one of the model's owners or admin. Used by the enforcer on every
 * model door before the handler runs, and by the upload once the bundle names its model.
 */
@Injectable()
export class ModelAccess {
  constructor(@Inject(REGISTRY_STORE) private readonly store: RegistryStore) {}

  /** Admits a request to a model door, or throws the refusal (403 naming what is missing). */
  async admit(
    template: ModelScopeTemplate,
    principal: Principal,
    params: Readonly<Record<string, string | undefined>>,
  ): Promise<void> {
    const { action, target } = template;
    if (target === 'some') return this.requireSomeModel(principal, action);
    const name = target === 'name' ? params['name'] : await this.modelOfBuild(params['id']);
    // No such build: nothing to read, and the handler answers BUILD_NOT_FOUND.
    if (name === undefined) return;
    this.requireScope(principal, action, name);
    if (action === 'models:write') await this.requireOwner(principal, name);
  }

  /**
   * Throws INSUFFICIENT_SCOPE unless the token allows `action` on `name`. No scope names a
   * name that is not a model name (`../etc`): only `<action>:*` reaches its 404.
   */
  requireScope(principal: Principal, action: ModelAction, name: string): void {
    const required = modelScope(action, MODEL_NAME.test(name) ? name : '*');
    if (scopeAllows(principal.scopes, required)) return;
    throw scopeMissing(
      required,
      `the token does not grant ${required} (nor ${modelScope(action, '*')} or admin): ask an admin for a group that grants it, then log in again`,
    );
  }

  /** Owners recorded, or the admins' for a model with versions but none recorded. */
  async ownersOf(name: string): Promise<ModelOwners | undefined> {
    const owners = await this.store.getOwners(name);
    if (owners !== undefined) return owners;
    // Not migrated yet (another builder's model, say): it is the admins', as the migration makes it.
    return (await this.store.listVersions(name)).length > 0 ? adminOwners(new Date()) : undefined;
  }

  /**
   * An upload of `name`: models:write on it, and either being an owner of the model, or
   * creating it (the caller and the groups they name become its owners).
   */
  async admitUpload(
    principal: Principal,
    name: string,
    ownerGroups: readonly string[],
  ): Promise<void> {
    this.requireScope(principal, 'models:write', name);
    checkGroupNames(ownerGroups);
    const existing = await this.ownersOf(name);
    const owners = existing ?? (await this.claim(principal, name, ownerGroups));
    this.requireChange(principal, name, owners);
    const fixed = ownerGroups.filter((group) => !owners.groups.includes(group));
    if (existing !== undefined && fixed.length > 0) {
      throw new BuilderError(
        RegistryErrorCode.OwnerGroupsFixed,
        `${name} exists, and its owner groups were named when it was created (${owners.groups.join(', ') || 'none'}): upload without ownerGroups ${fixed.join(', ')}`,
        { model: name },
      );
    }
  }

  /** The names among `names` the caller may read. */
  readable(principal: Principal, names: readonly string[]): string[] {
    return names.filter((name) => scopeAllows(principal.scopes, modelScope('models:read', name)));
  }

  private async claim(
    principal: Principal,
    name: string,
    groups: readonly string[],
  ): Promise<ModelOwners> {
    const foreign = isAdmin(principal) ? [] : groups.filter((g) => !principal.groups.includes(g));
    if (foreign.length > 0) {
      throw new BuilderError(
        RegistryErrorCode.OwnerGroupNotYours,
        `you are not in the group(s) ${foreign.join(', ')}: name only groups you are in (your token's groups: ${principal.groups.join(', ') || 'none'}) as owners of ${name}`,
        { model: name, groups: foreign },
      );
    }
    // The first claim wins, also against another builder: check what was stored.
    return this.store.claimOwners(name, creatorOwners(principal.sub, groups, new Date()));
  }

  private async requireOwner(principal: Principal, name: string): Promise<void> {
    if (isAdmin(principal)) return;
    const owners = await this.ownersOf(name);
    // No such model: nothing to change, and the handler answers MODEL_NOT_FOUND.
    if (owners !== undefined) this.requireChange(principal, name, owners);
  }

  private requireChange(principal: Principal, name: string, owners: ModelOwners): void {
    if (mayChange(principal, owners)) return;
    throw new BuilderError(
      RegistryErrorCode.NotModelOwner,
      `${principal.sub} may write models but is not an owner of ${name} (neither the user who created it nor in a group named then): ask one of its owners or an admin`,
      { model: name },
    );
  }

  private requireSomeModel(principal: Principal, action: ModelAction): void {
    if (allowsOnSomeModel(principal.scopes, action)) return;
    throw scopeMissing(
      modelScope(action, '*'),
      `the token grants ${action} on no model: ${modelScope(action, '<model>')} or ${modelScope(action, '*')} is needed; ask an admin for a group that grants it, then log in again`,
    );
  }

  private async modelOfBuild(id: string | undefined): Promise<string | undefined> {
    return id === undefined ? undefined : (await this.store.getBuild(id))?.name;
  }
}

function checkGroupNames(groups: readonly string[]): void {
  const bad = groups.filter((group) => !OWNER_GROUP.test(group));
  if (bad.length === 0) return;
  throw new BuilderError(
    RegistryErrorCode.InvalidOwnerGroup,
    `ownerGroups ${bad.map((g) => JSON.stringify(g)).join(', ')} is not a group name (letters, digits, . _ - and spaces, at most 64)`,
  );
}
