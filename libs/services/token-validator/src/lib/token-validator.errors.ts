import { mapServiceAccessError } from '@ml-run/bearer-auth';
import type { ErrorMapper } from '@ml-run/server';

import { mapTokenError } from './introspection/introspection.errors';

/** The validator's domain errors as HTTP answers. */
export const mapTokenValidatorError: ErrorMapper = (error) =>
  mapServiceAccessError(error) ?? mapTokenError(error);
