import { QnetError } from '../network';

export function invalidSimulationOption(message: string, station?: string): QnetError {
  return new QnetError('INVALID_OPTIONS', message, station);
}
