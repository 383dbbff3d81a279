import { createServiceApp, type ServiceApp, type ServiceHostOptions } from '@ml-run/server';

import type { TokenValidatorConfig } from './token-validator.config';
import { mapTokenValidatorError } from './token-validator.errors';
import { TokenValidatorModule, type TokenValidatorAdapters } from './token-validator.module';

/**
 * The token-validator (docs/architecture.md §3): RFC 7662 introspection and the token event
 * stream, both for holders of the introspection credential (its revocation stream is part of
 * introspection: docs/security.md). The adapters stay the caller's to close.
 */
export function createTokenValidatorApp(
  config: TokenValidatorConfig,
  adapters: TokenValidatorAdapters,
  options: ServiceHostOptions = {},
): Promise<ServiceApp> {
  return createServiceApp({
    service: 'token-validator',
    description:
      'RFC 7662 token introspection and token events for model wrappers; every endpoint needs the introspection credential (Authorization: Bearer <MLRUN_INTROSPECTION_TOKEN>).',
    module: TokenValidatorModule.forRoot(config, adapters),
    settings: config,
    serviceCredentials: { introspection: config.MLRUN_INTROSPECTION_TOKEN },
    errorMapper: mapTokenValidatorError,
    ...options,
  });
}
