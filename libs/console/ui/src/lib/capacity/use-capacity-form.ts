import { useState, type FormEvent } from 'react';

import { DEFAULT_MLRUN_PARAMETERS, type MlrunParameters } from '@ml-run/qnet';

import {
  formFromParameters,
  type CapacityField,
  type CapacityFormErrors,
  type CapacityFormValues,
} from './capacity-form';
import type { CapacitySolution } from './capacity-solution';
import { solveForm } from './solve-form';

/** The capacity form's state: its values and errors, a loaded file, the last solution. */
export function useCapacityForm() {
  const [values, setValues] = useState(() => formFromParameters(DEFAULT_MLRUN_PARAMETERS));
  const [errors, setErrors] = useState<CapacityFormErrors>({});
  const [solution, setSolution] = useState<CapacitySolution>();
  const [problem, setProblem] = useState<string>();
  const [loaded, setLoaded] = useState<string>();

  const fill = (parameters: MlrunParameters, note?: string) => {
    // The file holds no target: the one entered stays.
    const target = (form: CapacityFormValues) => Number(form.targetUtilization) || undefined;
    setValues((current) => formFromParameters(parameters, { maxUtilization: target(current) }));
    setErrors({});
    setProblem(undefined);
    setLoaded(note);
  };

  return {
    values,
    errors,
    solution,
    problem,
    loaded,
    change(field: CapacityField, value: CapacityFormValues[CapacityField]) {
      setValues((current) => ({ ...current, [field]: value }));
      setErrors((current) => ({ ...current, [field]: undefined }));
    },
    solve(event: FormEvent) {
      event.preventDefault();
      const outcome = solveForm(values);
      setErrors(outcome.errors);
      setProblem(outcome.problem);
      setSolution(outcome.solution);
    },
    loadFile: (parameters: MlrunParameters, fileName: string) =>
      fill(parameters, `Loaded ${fileName}: press Solve.`),
    fileProblem(message: string) {
      setLoaded(undefined);
      setProblem(message);
    },
    reset: () => fill(DEFAULT_MLRUN_PARAMETERS),
  };
}
