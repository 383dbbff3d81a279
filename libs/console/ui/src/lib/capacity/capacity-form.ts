import {
  capacityParametersSchema,
  parseCapacityParameters,
  type MlrunParameters,
  type RecommendTarget,
} from '@ml-run/qnet';

/** A number input's value: a number, or a string while empty or being typed. */
type NumberField = number | string;

/** What the capacity form holds: the model's parameters plus the recommendation's target. */
export type CapacityFormValues = {
  rate: NumberField;
  clients: NumberField;
  tokenLifetimeSeconds: NumberField;
  l1TtlSeconds: NumberField;
  routers: NumberField;
  wrappers: NumberField;
  validators: NumberField;
  issuers: NumberField;
  muRouter: NumberField;
  muTokenCheck: NumberField;
  muValidator: NumberField;
  muIssuer: NumberField;
  muPredict: NumberField;
  /** Empty: derived from the workload. */
  pStale: NumberField;
  pMiss: NumberField;
  staleRequests: 'leave' | 'retry';
  /** Empty: 1 (exponential). */
  predictServiceScv: NumberField;
  validatorQueues: 'shared' | 'split';
  targetUtilization: NumberField;
  /** Empty: no latency bound. */
  maxLatencyMs: NumberField;
};

export type CapacityField = keyof CapacityFormValues;

/** Each field's error sentence, by field. */
export type CapacityFormErrors = Partial<Record<CapacityField, string>>;

export type CapacityInput =
  | { ok: true; parameters: MlrunParameters; target: RecommendTarget }
  | { ok: false; errors: CapacityFormErrors };

export const DEFAULT_TARGET_UTILIZATION = 0.7;

// Left empty, these mean "derived" or "none"; every other field is required.
const OPTIONAL = new Set<CapacityField>(['pStale', 'pMiss', 'predictServiceScv', 'maxLatencyMs']);

// The schema's field paths, for turning its issues into per-field errors.
const FIELD_OF_PATH: Record<string, CapacityField> = {
  rate: 'rate',
  clients: 'clients',
  tokenLifetimeSeconds: 'tokenLifetimeSeconds',
  l1TtlSeconds: 'l1TtlSeconds',
  'servers.routers': 'routers',
  'servers.wrappers': 'wrappers',
  'servers.validators': 'validators',
  'servers.issuers': 'issuers',
  'serviceRates.router': 'muRouter',
  'serviceRates.tokenCheck': 'muTokenCheck',
  'serviceRates.validator': 'muValidator',
  'serviceRates.issuer': 'muIssuer',
  'serviceRates.predict': 'muPredict',
  pStale: 'pStale',
  pMiss: 'pMiss',
  staleRequests: 'staleRequests',
  predictServiceScv: 'predictServiceScv',
  validatorQueues: 'validatorQueues',
};

/** The form showing these parameters (an optional override left empty means "derived"). */
export function formFromParameters(
  p: MlrunParameters,
  target: RecommendTarget = {},
): CapacityFormValues {
  return {
    rate: p.rate,
    clients: p.clients,
    tokenLifetimeSeconds: p.tokenLifetimeSeconds,
    l1TtlSeconds: p.l1TtlSeconds,
    routers: p.servers.routers,
    wrappers: p.servers.wrappers,
    validators: p.servers.validators,
    issuers: p.servers.issuers,
    muRouter: p.serviceRates.router,
    muTokenCheck: p.serviceRates.tokenCheck,
    muValidator: p.serviceRates.validator,
    muIssuer: p.serviceRates.issuer,
    muPredict: p.serviceRates.predict,
    pStale: p.pStale ?? '',
    pMiss: p.pMiss ?? '',
    staleRequests: p.staleRequests ?? 'leave',
    predictServiceScv: p.predictServiceScv ?? '',
    validatorQueues: p.validatorQueues ?? 'shared',
    targetUtilization: target.maxUtilization ?? DEFAULT_TARGET_UTILIZATION,
    maxLatencyMs: target.maxLatencySeconds === undefined ? '' : target.maxLatencySeconds * 1000,
  };
}

/**
 * The form's parameters and target, checked by the same schema as the CLI's parameter file,
 * or an error sentence per field that is wrong.
 */
export function capacityInput(form: CapacityFormValues): CapacityInput {
  const errors: CapacityFormErrors = {};
  const value = (field: CapacityField) => {
    const parsed = numberOf(form[field]);
    if (Number.isNaN(parsed)) errors[field] = 'must be a number';
    else if (parsed === undefined && !OPTIONAL.has(field)) errors[field] = 'is required';
    return Number.isNaN(parsed) ? undefined : parsed;
  };
  const candidate = candidateOf(form, value);
  const checked = capacityParametersSchema.safeParse(withoutUndefined(candidate));
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = FIELD_OF_PATH[issue.path.join('.')];
      if (field && !errors[field]) errors[field] = issue.message;
    }
  }
  const target = targetOf(value, errors);
  if (!checked.success || Object.keys(errors).length > 0) return { ok: false, errors };
  // Through the file parser too: the parameters the model takes, `measured` dropped.
  return { ok: true, parameters: parseCapacityParameters(checked.data), target };
}

// The file's shape from the form; unset numbers are left out, for the schema to judge.
function candidateOf(
  form: CapacityFormValues,
  value: (field: CapacityField) => number | undefined,
) {
  return {
    rate: value('rate'),
    clients: value('clients'),
    tokenLifetimeSeconds: value('tokenLifetimeSeconds'),
    l1TtlSeconds: value('l1TtlSeconds'),
    servers: {
      routers: value('routers'),
      wrappers: value('wrappers'),
      validators: value('validators'),
      issuers: value('issuers'),
    },
    serviceRates: {
      router: value('muRouter'),
      tokenCheck: value('muTokenCheck'),
      validator: value('muValidator'),
      issuer: value('muIssuer'),
      predict: value('muPredict'),
    },
    pStale: value('pStale'),
    pMiss: value('pMiss'),
    staleRequests: form.staleRequests,
    predictServiceScv: value('predictServiceScv'),
    validatorQueues: form.validatorQueues,
  };
}

function targetOf(
  value: (field: CapacityField) => number | undefined,
  errors: CapacityFormErrors,
): RecommendTarget {
  const maxUtilization = value('targetUtilization');
  const maxLatencyMs = value('maxLatencyMs');
  if (maxUtilization !== undefined && !(maxUtilization > 0 && maxUtilization < 1)) {
    errors.targetUtilization = 'must be above 0 and below 1 (e.g. 0.7 for 70 %)';
  }
  if (maxLatencyMs !== undefined && !(maxLatencyMs > 0)) {
    errors.maxLatencyMs ??= 'must be above 0 (milliseconds), or empty for no bound';
  }
  return {
    maxUtilization,
    ...(maxLatencyMs === undefined ? {} : { maxLatencySeconds: maxLatencyMs / 1000 }),
  };
}

// '' (an empty input) is undefined; anything else that is not a finite number is NaN.
function numberOf(value: NumberField): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : Number.NaN;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
