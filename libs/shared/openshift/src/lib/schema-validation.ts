import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

import { openApiKinds, openApiSchema } from '../generated/openapi-schema';
import { routeSchema } from '../generated/route-schema';

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

/**
 * useDefaults: for a CRD the apiserver applies the schema's defaults before validating
 * (the Route CRD's rules rely on wildcardPolicy defaulting to None; see run()). Types
 * served by Go code, Template among them, are not defaulted from their OpenAPI.
 */
function compiler(useDefaults: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    useDefaults,
    strict: true,
    strictRequired: false,
    strictTypes: false,
  });
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

// openapi.json's definitions, registered once under this id; each kind's validator is
// compiled (on first use) from a $ref into them.
const OPENAPI_ID = 'openshift-openapi.json';
const ROUTE_KIND = 'route.openshift.io/v1 Route';
const TEMPLATE_KIND = 'template.openshift.io/v1 Template';

let goServed: Ajv | undefined;
let route: ValidateFunction | undefined;
const byKind = new Map<string, ValidateFunction>();

/** The validator of a kind defined in openapi.json (served by Go code: no defaulting from the schema). */
function openApiValidator(kind: string): ValidateFunction {
  let validate = byKind.get(kind);
  if (!validate) {
    if (!goServed) {
      goServed = compiler(false);
      goServed.addSchema({ ...openApiSchema, $id: OPENAPI_ID });
    }
    validate = goServed.compile({ $ref: `${OPENAPI_ID}#/definitions/${openApiKinds[kind]}` });
    byKind.set(kind, validate);
  }
  return validate;
}

function routeValidator(): ValidateFunction {
  route ??= compiler(true).compile(routeSchema);
  return route;
}

/** The apiVersion/kind pairs validateOpenShiftSchema knows, as "group/version Kind". */
export const OPENSHIFT_SCHEMA_KINDS: readonly string[] = [...Object.keys(openApiKinds), ROUTE_KIND];

/**
 * Checks a Template (as decoded from YAML or JSON, before processing) against
 * openshift/api's OpenAPI definition of template.v1.Template. The definition treats each
 * object as opaque; check the processed objects against their own kinds' schemas.
 */
export function validateTemplateSchema(template: unknown): SchemaValidation {
  return run(openApiValidator(TEMPLATE_KIND), template);
}

/** Checks a Route against the openAPIV3Schema of openshift/api's Route CRD (its CEL rules excepted). */
export function validateRouteSchema(route: unknown): SchemaValidation {
  return run(routeValidator(), route);
}

/**
 * Checks an OpenShift object against openshift/api's schema of its apiVersion and kind:
 * openapi.json's definition for Template, BuildConfig and ImageStream (kinds with no CRD,
 * so no apiserver but OpenShift's checks them), the CRD's schema for Route. Any other
 * apiVersion/kind is invalid, with an error that names the kinds known here (a legacy
 * `apiVersion: v1` BuildConfig included: processTemplate gives it its group first).
 */
export function validateOpenShiftSchema(object: unknown): SchemaValidation {
  const kind = kindOf(object);
  if (kind === ROUTE_KIND) return validateRouteSchema(object);
  if (kind !== undefined && Object.hasOwn(openApiKinds, kind))
    return run(openApiValidator(kind), object);
  const { apiVersion, kind: name } = (object ?? {}) as Record<string, unknown>;
  return {
    valid: false,
    errors: [
      `/: no OpenShift schema for apiVersion ${JSON.stringify(apiVersion)} kind ${JSON.stringify(name)}; ` +
        `known: ${OPENSHIFT_SCHEMA_KINDS.join(', ')}`,
    ],
  };
}

function kindOf(object: unknown): string | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const { apiVersion, kind } = object as Record<string, unknown>;
  return typeof apiVersion === 'string' && typeof kind === 'string'
    ? `${apiVersion} ${kind}`
    : undefined;
}

function run(validate: ValidateFunction, value: unknown): SchemaValidation {
  const copy = withoutNulls(value);
  // ajv fills defaults as it validates, some after the rules that need them have run:
  // the first pass defaults the copy, the second judges it.
  validate(copy);
  const valid = validate(copy);
  return { valid, errors: valid ? [] : readable(validate.errors ?? []) };
}

/** A copy without null fields: Go decodes a null field as absent, and the apiserver prunes them. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    if (item !== null)
      Object.defineProperty(out, key, {
        value: withoutNulls(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  return out;
}

/** One line per problem: the inner failures of an anyOf that failed as a whole are noise. */
function readable(errors: ErrorObject[]): string[] {
  const failedAlternatives = errors
    .filter((e) => e.keyword === 'anyOf')
    .map((e) => e.schemaPath.slice(0, -'anyOf'.length));
  const inner = (e: ErrorObject) =>
    e.keyword !== 'anyOf' && failedAlternatives.some((p) => e.schemaPath.startsWith(`${p}anyOf/`));
  return [...new Set(errors.filter((e) => !inner(e)).map(describe))];
}

function describe(error: ErrorObject): string {
  const at = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${at === '/' ? '' : at}/${String(params.missingProperty)}: is required`;
    case 'enum':
      return `${at}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'anyOf':
      return `${at}: breaks the rule at ${error.schemaPath} (none of its alternatives holds)`;
    case 'not':
      return `${at}: has a value the rule at ${error.schemaPath} forbids`;
    case 'type':
      // ajv joins a type list with commas ("string,number")
      return `${at}: must be ${String(params.type).split(',').join(' or ')}`;
    case 'x-kubernetes-int-or-string':
      return `${at}: must be an integer or a string`;
    default:
      return `${at}: ${error.message ?? error.keyword}`;
  }
}
