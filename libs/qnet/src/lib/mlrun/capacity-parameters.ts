import { z } from 'zod';

import { QnetError } from '../network';
import { type MlrunParameters } from './mlrun-parameters';

const rate = z.number().positive('must be a number above 0 (jobs/s)');
// Server and client counts: whole numbers, at least one.
const serverCount = z.int('must be an integer').min(1, 'must be at least 1');
const probability = z.number().min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]');
const seconds = z.number().min(0, 'must be at least 0 (seconds)');

// One station's calibration figures: every field optional, none unknown.
const stationMeasurement = z.strictObject({
  /** CPU seconds the station's processes spent per completed visit. */
  cpuSecondsPerCompletion: seconds.optional(),
  /** Mean latency of one visit with no queueing (light load). */
  lightLoadLatencySeconds: seconds.optional(),
  /** Visits the figures were measured over. */
  completions: z.int('must be an integer').min(0, 'must be at least 0').optional(),
});

/**
 * The capacity parameter file (JSON): exactly the MlrunParameters fields, plus where and
 * how the service rates were measured (the format the calibration writes): `measured` with
 * source and time, and optionally the machine, the method and per-station figures. Unknown keys are
 * rejected so a misspelt field cannot silently fall back to a default.
 *
 * @example
 * capacityParametersSchema.parse({
 *   ...DEFAULT_MLRUN_PARAMETERS,
 *   measured: { source: 'tools/bench wrapper-auth', at: '2025-11-28T16:00:00Z' },
 * });
 */
export const capacityParametersSchema = z.strictObject({
  rate: z.number().positive('must be above 0 (requests/s)'),
  clients: serverCount,
  tokenLifetimeSeconds: z.number().positive('must be above 0 (seconds)'),
  l1TtlSeconds: z.number().min(0, 'must be at least 0 (seconds)'),
  servers: z.strictObject({
    routers: serverCount,
    wrappers: serverCount,
    validators: serverCount,
    issuers: serverCount,
  }),
  serviceRates: z.strictObject({
    router: rate,
    tokenCheck: rate,
    validator: rate,
    issuer: rate,
    predict: rate,
  }),
  pStale: probability.optional(),
  pMiss: probability.optional(),
  staleRequests: z.enum(['leave', 'retry'], "must be 'leave' or 'retry'").optional(),
  predictServiceScv: z.number().min(0, 'must be at least 0 (1 = exponential)').optional(),
  validatorQueues: z.enum(['shared', 'split'], "must be 'shared' or 'split'").optional(),
  measured: z
    .strictObject({
      source: z.string().min(1, 'must name the tool or run that measured the rates'),
      at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
      /** The machine the rates were measured on (CPU, cores, load). */
      machine: z.string().min(1, 'must describe the machine, or be left out').optional(),
      /** How they were measured (e.g. CPU time per completion, light-load latency). */
      method: z.string().min(1, 'must describe the method, or be left out').optional(),
      /** What the calibration measured per station, by station name. */
      stations: z
        .partialRecord(
          z.enum(
            ['router', 'token-check', 'validator', 'issuer', 'predict'],
            'must be a station of the model',
          ),
          stationMeasurement,
        )
        .optional(),
    })
    .optional(),
});

/** The parsed parameter file, `measured` included. */
export type CapacityParameters = z.infer<typeof capacityParametersSchema>;

/**
 * Parses a capacity parameter file (its JSON text or the parsed value) into the model's
 * parameters. Throws QnetError('INVALID_NETWORK') naming every bad field path.
 *
 * @example
 * const params = parseCapacityParameters(readFileSync('capacity.json', 'utf8'));
 */
export function parseCapacityParameters(json: unknown): MlrunParameters {
  const result = capacityParametersSchema.safeParse(
    typeof json === 'string' ? parseJson(json) : json,
  );
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.join('.');
      return path ? `"${path}": ${issue.message}` : issue.message;
    });
    throw new QnetError('INVALID_NETWORK', `Fix the capacity parameters: ${problems.join('; ')}.`);
  }
  // The measurement note documents the file; the model takes the parameters only.
  const parameters: CapacityParameters = { ...result.data };
  delete parameters.measured;
  return parameters;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new QnetError(
      'INVALID_NETWORK',
      `The capacity parameters are not valid JSON (${(error as Error).message}): fix the file's syntax.`,
    );
  }
}
