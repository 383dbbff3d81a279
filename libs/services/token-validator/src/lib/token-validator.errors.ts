import type { ErrorMapper } from '@ml-run/server';

import { mapTokenError } from './introspection/introspection.errors';

/** The validator's domain errors as HTTP answers (its service doors are the platform's). */
export const mapTokenValidatorError: ErrorMapper = (error) => mapTokenError(error);
