import { readFile } from 'node:fs/promises';

import {
  DEFAULT_MLRUN_PARAMETERS,
  parseCapacityParameters,
  QnetError,
  type MlrunParameters,
} from '@ml-run/qnet';

import { CliError } from '../cli.errors';
import type { CapacityOptions } from './capacity-options';

type Overrides = {
  rate?: number;
  clients?: number;
  tokenLifetimeSeconds?: number;
  l1TtlSeconds?: number;
  pStale?: number;
  pMiss?: number;
  staleRequests?: MlrunParameters['staleRequests'];
  predictServiceScv?: number;
  validatorQueues?: MlrunParameters['validatorQueues'];
};

const defined = <T extends object>(values: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>;

/** Flags over the file (or the defaults without one); the result is checked once more. */
export async function capacityParameters(options: CapacityOptions): Promise<MlrunParameters> {
  const base =
    options.file === undefined ? DEFAULT_MLRUN_PARAMETERS : await readFileParameters(options.file);
  const merged = withFlags(base, options);
  try {
    return parseCapacityParameters(merged);
  } catch (error) {
    throw asCliError(error);
  }
}

function withFlags(base: MlrunParameters, options: CapacityOptions): MlrunParameters {
  const top: Overrides = {
    rate: options.rate,
    clients: options.clients,
    tokenLifetimeSeconds: options.tokenLifetime,
    l1TtlSeconds: options.l1Ttl,
    pStale: options.pStale,
    pMiss: options.pMiss,
    staleRequests: options.staleRequests,
    predictServiceScv: options.predictScv,
    validatorQueues: options.validatorQueues,
  };
  const servers = {
    routers: options.routers,
    wrappers: options.wrappers,
    validators: options.validators,
    issuers: options.issuers,
  };
  const serviceRates = {
    router: options.muRouter,
    tokenCheck: options.muCheck,
    validator: options.muValidator,
    issuer: options.muIssuer,
    predict: options.muPredict,
  };
  return {
    ...base,
    ...defined(top),
    servers: { ...base.servers, ...defined(servers) },
    serviceRates: { ...base.serviceRates, ...defined(serviceRates) },
  };
}

async function readFileParameters(file: string): Promise<MlrunParameters> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'ENOENT' ? 'it does not exist' : (error.code ?? error.message);
    throw new CliError(`cannot read the capacity parameter file ${file} (${why}): check --file`);
  });
  try {
    return parseCapacityParameters(text);
  } catch (error) {
    throw asCliError(error, `${file}: `);
  }
}

/** The model's errors say what to fix: shown as one line, like every user mistake. */
export function asCliError(error: unknown, prefix = ''): unknown {
  return error instanceof QnetError ? new CliError(`${prefix}${error.message}`) : error;
}
