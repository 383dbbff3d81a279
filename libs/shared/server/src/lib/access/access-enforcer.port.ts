import type { FastifyRequest } from 'fastify';

import type { AccessRule } from './access-rule';

/**
 * A service's check of its non-public rules. It admits the request under one of `rules`
 * (recording the caller on it) or throws a refusal that the service's error mapper answers.
 */
export interface AccessEnforcer {
  admit(rules: readonly AccessRule[], request: FastifyRequest): void | Promise<void>;
}

/** Provides the service's AccessEnforcer; a service with only public routes needs none. */
export const ACCESS_ENFORCER = Symbol('ACCESS_ENFORCER');
