import { DEFAULT_MLRUN_PARAMETERS } from '@ml-run/qnet';

import { formFromParameters } from './capacity-form';
import { solveForm } from './solve-form';

const defaults = () => formFromParameters(DEFAULT_MLRUN_PARAMETERS);

describe(solveForm.name, () => {
  it('solves a valid form', () => {
    const sut = solveForm(defaults());
    expect(sut.errors).toEqual({});
    expect(sut.problem).toBeUndefined();
    expect(sut.solution?.analysis.stations).toHaveLength(5);
  });

  it('points at the fields to fix and does not solve', () => {
    const sut = solveForm({ ...defaults(), rate: -1 });
    expect(sut.errors.rate).toBeDefined();
    expect(sut.problem).toMatch(/fields need fixing/);
    expect(sut.solution).toBeUndefined();
  });

  it("gives back the model's refusal as the problem", () => {
    const sut = solveForm({ ...defaults(), pStale: 1, staleRequests: 'retry' });
    expect(sut.solution).toBeUndefined();
    expect(sut.problem).toMatch(/pStale is 1 with staleRequests 'retry'/);
  });
});
