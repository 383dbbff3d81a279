import { createServiceApp, type ServiceApp, type ServiceHostOptions } from '@ml-run/server';

import type { TokenValidatorConfig } from './token-validator.config';
import { mapTokenValidatorError } from './token-validator.errors';
import { TokenValidatorModule, type TokenValidatorAdapters } from './token-validator.module';

/**
 * The token-validator (docs/architecture.md §3): RFC 7662 introspection and the token event stream,
 * both for services holding MLRUN_SERVICE_TOKEN. The adapters stay the caller's to close.
 */
export function createTokenValidatorApp(
  config: TokenValidatorConfig,
  adapters: TokenValidatorAdapters,
  options: ServiceHostOptions = {},
): Promise<ServiceApp> {
  return createServiceApp({
    service: 'token-validator',
    description:
      'RFC 7662 token introspection and token events for model wrappers; every endpoint needs the service credential (Authorization: Bearer <MLRUN_SERVICE_TOKEN>).',
    module: TokenValidatorModule.forRoot(config, adapters),
    settings: config,
    errorMapper: mapTokenValidatorError,
    ...options,
  });
}
