import { z } from 'zod';

import { isCredentialDigest, SERVICE_CREDENTIAL_VARIABLES } from '@ml-run/token-contract';

import { markSecret } from './env-fields';

const MIN_CREDENTIAL_LENGTH = 32;
const GENERATE = 'generate one with `openssl rand -base64 32`';

/**
 * A role's credential that this service presents to another (and may also check): the
 * credential itself. Unset: the feature that needs it is off, unless `required`.
 */
export function presentedCredentialVar(options: { required: true }): z.ZodString;
export function presentedCredentialVar(options?: { required?: false }): z.ZodOptional<z.ZodString>;
export function presentedCredentialVar(options: { required?: boolean } = {}) {
  const field = z
    .string()
    .min(MIN_CREDENTIAL_LENGTH, `must be at least ${MIN_CREDENTIAL_LENGTH} characters; ${GENERATE}`)
    .refine(
      (value) => !isCredentialDigest(value),
      'is a digest (sha256:...), but this service presents the credential: set the credential itself',
    );
  return markSecret(options.required ? field : field.optional());
}

/**
 * A role's credential that this service only checks: the credential itself, or better its
 * digest (`sha256:<hex>` of it), so a reader of this service's environment cannot present it.
 */
export function checkedCredentialVar(options: { required: true }): z.ZodString;
export function checkedCredentialVar(options?: { required?: false }): z.ZodOptional<z.ZodString>;
export function checkedCredentialVar(options: { required?: boolean } = {}) {
  const field = z
    .string()
    .refine(
      (value) => isCredentialDigest(value) || value.length >= MIN_CREDENTIAL_LENGTH,
      `must be at least ${MIN_CREDENTIAL_LENGTH} characters (${GENERATE}), or its digest: sha256:<64 hex digits>`,
    );
  return markSecret(options.required ? field : field.optional());
}

/**
 * MLRUN_SERVICE_TOKEN, the one credential every service used to hold, is no longer read.
 * Set, it fails start: an operator who kept it would otherwise believe the doors it used to
 * open were still closed by it.
 */
export function retiredServiceTokenVar() {
  const names = Object.values(SERVICE_CREDENTIAL_VARIABLES).join(', ');
  return markSecret(
    z.undefined({
      error: () =>
        `is no longer read: each service role has its own credential now (${names}); ` +
        'set the ones this service needs (.env.example, docs/security.md) and unset MLRUN_SERVICE_TOKEN',
    }),
  );
}
