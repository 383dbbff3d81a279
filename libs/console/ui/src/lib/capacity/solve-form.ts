import { QnetError } from '@ml-run/qnet';

import { capacityInput, type CapacityFormErrors, type CapacityFormValues } from './capacity-form';
import { solveCapacity, type CapacitySolution } from './capacity-solution';

export type SolveOutcome = {
  errors: CapacityFormErrors;
  /** What stops the solution, as a sentence. */
  problem?: string;
  solution?: CapacitySolution;
};

/** Checks the form, then solves it; the model's own refusals come back as the problem. */
export function solveForm(values: CapacityFormValues): SolveOutcome {
  const input = capacityInput(values);
  if (!input.ok) {
    return {
      errors: input.errors,
      problem: 'Some fields need fixing: see the messages under them.',
    };
  }
  try {
    return { errors: {}, solution: solveCapacity(input.parameters, input.target) };
  } catch (error) {
    // The model's own checks (e.g. p_stale 1 with retries) say what to change.
    if (!(error instanceof QnetError)) throw error;
    return { errors: {}, problem: error.message };
  }
}
