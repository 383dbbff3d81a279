import { QnetError } from '../network';

// QnetErrorCode has no code for bad simulation options (duration, warmup, seed,
// empirical samples); they are reported as an invalid model input until one exists.
export function invalidSimulationOption(message: string, station?: string): QnetError {
  return new QnetError('INVALID_NETWORK', message, station);
}
