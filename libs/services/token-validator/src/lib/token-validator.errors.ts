import type { ErrorMapper } from '@ml-run/server';

import { mapTokenError } from './introspection/introspection.errors';
import { mapServiceCredentialError } from './service-credential/service-credential.errors';

/** The validator's domain errors as HTTP answers. */
export const mapTokenValidatorError: ErrorMapper = (error) =>
  mapServiceCredentialError(error) ?? mapTokenError(error);
