import { QnetError } from '../network';

// Workload figures are rates, counts and durations: the model has no meaning for NaN,
// Infinity or negative values, so they share the NEGATIVE_RATE code.
export function assertAtLeastZero(field: string, value: number): void {
  if (Number.isFinite(value) && value >= 0) return;
  throw new QnetError('NEGATIVE_RATE', `${field} is ${value}: use a finite number of at least 0.`);
}

export function assertAboveZero(field: string, value: number): void {
  if (Number.isFinite(value) && value > 0) return;
  throw new QnetError('NEGATIVE_RATE', `${field} is ${value}: use a finite number above 0.`);
}

export function assertServerCount(field: string, value: number): void {
  if (Number.isInteger(value) && value >= 1) return;
  throw new QnetError('INVALID_NETWORK', `${field} is ${value}: use an integer of at least 1.`);
}

export function assertProbability(field: string, value: number): void {
  if (value >= 0 && value <= 1) return;
  throw new QnetError('INVALID_PROBABILITY', `${field} is ${value}: use a number in [0, 1].`);
}
