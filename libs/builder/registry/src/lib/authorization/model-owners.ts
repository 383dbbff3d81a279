import type { ModelOwners } from '@ml-run/registry-contract';
import { ADMIN_SCOPE, scopeAllows } from '@ml-run/token-contract';

import type { Principal } from './request-authorizer.port';

/** Owners of a model from before models had owners: the admins alone. */
export function adminOwners(now: Date): ModelOwners {
  return { users: [], groups: [], assignedBy: 'migration', assignedAt: now.toISOString() };
}

/** The owners a new model gets: its creator and the groups the creator named. */
export function creatorOwners(creator: string, groups: readonly string[], now: Date): ModelOwners {
  return {
    users: [creator],
    groups: [...new Set(groups)].sort(),
    assignedBy: 'creation',
    assignedAt: now.toISOString(),
  };
}

export function isAdmin(principal: Principal): boolean {
  return scopeAllows(principal.scopes, ADMIN_SCOPE);
}

/** The user is an owner, or in one of the owner groups (as their token says), or admin. */
export function mayChange(principal: Principal, owners: ModelOwners): boolean {
  return (
    isAdmin(principal) ||
    owners.users.includes(principal.sub) ||
    owners.groups.some((group) => principal.groups.includes(group))
  );
}
