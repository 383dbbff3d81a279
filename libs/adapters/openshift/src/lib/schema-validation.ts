import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

import { routeSchema } from '../generated/route-schema';
import { templateSchema } from '../generated/template-schema';

/** The outcome of a schema check: `errors` reads like "/parameters/0/name: is required". */
export type SchemaValidation = {
  valid: boolean;
  errors: string[];
};

// Kubernetes' OpenAPI extensions. int-or-string constrains the value; the rest describe
// merge and list semantics, or CEL rules (x-kubernetes-validations) that only a live
// apiserver evaluates (the dry-run tests check those).
const INFORMATIVE_KEYWORDS = [
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-validations',
];

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function compiler(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
  ajv.addVocabulary(INFORMATIVE_KEYWORDS);
  ajv.addKeyword({
    keyword: 'x-kubernetes-int-or-string',
    schemaType: 'boolean',
    validate: (enabled: boolean, data: unknown) =>
      !enabled || typeof data === 'string' || Number.isInteger(data),
    errors: false,
  });
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('date-time', RFC3339);
  return ajv;
}

let compiled: { template: ValidateFunction; route: ValidateFunction } | undefined;

function validators() {
  if (!compiled) {
    const ajv = compiler();
    compiled = { template: ajv.compile(templateSchema), route: ajv.compile(routeSchema) };
  }
  return compiled;
}

/**
 * Checks a Template (as decoded from YAML or JSON, before processing) against
 * openshift/api's OpenAPI definition of template.v1.Template. The definition treats each
 * object as opaque; check the processed objects against their own kinds' schemas.
 */
export function validateTemplateSchema(template: unknown): SchemaValidation {
  return run(validators().template, template);
}

/** Checks a Route against the openAPIV3Schema of openshift/api's Route CRD (its CEL rules excepted). */
export function validateRouteSchema(route: unknown): SchemaValidation {
  return run(validators().route, route);
}

function run(validate: ValidateFunction, value: unknown): SchemaValidation {
  const valid = validate(value);
  return { valid, errors: valid ? [] : (validate.errors ?? []).map(describe) };
}

function describe(error: ErrorObject): string {
  const at = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${at === '/' ? '' : at}/${String(params.missingProperty)}: is required`;
    case 'enum':
      return `${at}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'x-kubernetes-int-or-string':
      return `${at}: must be an integer or a string`;
    default:
      return `${at}: ${error.message ?? error.keyword}`;
  }
}
