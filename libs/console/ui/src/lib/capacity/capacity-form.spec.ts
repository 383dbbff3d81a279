import { DEFAULT_MLRUN_PARAMETERS, type MlrunParameters } from '@ml-run/qnet';

import { capacityInput, formFromParameters, type CapacityFormValues } from './capacity-form';

const defaults = () => formFromParameters(DEFAULT_MLRUN_PARAMETERS);

function errorsOf(form: CapacityFormValues) {
  const input = capacityInput(form);
  if (input.ok) throw new Error('expected the form to be refused');
  return input.errors;
}

describe(capacityInput.name, () => {
  it('gives back the parameters the form was filled from, and the default target', () => {
    const input = capacityInput(defaults());
    expect(input).toEqual({
      ok: true,
      parameters: {
        ...DEFAULT_MLRUN_PARAMETERS,
        staleRequests: 'leave',
        validatorQueues: 'shared',
      },
      target: { maxUtilization: 0.7 },
    });
  });

  it('round-trips every optional parameter and the latency bound', () => {
    const p: MlrunParameters = {
      ...DEFAULT_MLRUN_PARAMETERS,
      rate: 2500,
      servers: { routers: 2, wrappers: 3, validators: 2, issuers: 1 },
      pStale: 0.01,
      pMiss: 0.2,
      staleRequests: 'retry',
      predictServiceScv: 0,
      validatorQueues: 'split',
    };
    const input = capacityInput(
      formFromParameters(p, { maxUtilization: 0.5, maxLatencySeconds: 0.004 }),
    );
    expect(input).toEqual({
      ok: true,
      parameters: p,
      target: { maxUtilization: 0.5, maxLatencySeconds: 0.004 },
    });
  });

  it('reads numbers typed as text, and leaves empty overrides derived', () => {
    const input = capacityInput({ ...defaults(), rate: '1500', pStale: '', pMiss: ' ' });
    expect(input.ok && input.parameters.rate).toBe(1500);
    expect(input.ok && 'pStale' in input.parameters).toBe(false);
    expect(input.ok && 'pMiss' in input.parameters).toBe(false);
  });

  it('names each wrong field with the schema sentence', () => {
    const errors = errorsOf({
      ...defaults(),
      rate: 0,
      wrappers: 1.5,
      muPredict: -3,
      pMiss: 2,
      clients: 'many',
    });
    expect(errors).toEqual({
      rate: 'must be above 0 (requests/s)',
      wrappers: 'must be an integer',
      muPredict: 'must be a number above 0 (jobs/s)',
      pMiss: 'must be in [0, 1]',
      clients: 'must be a number',
    });
  });

  it('says a required field left empty is required', () => {
    expect(errorsOf({ ...defaults(), tokenLifetimeSeconds: '', routers: '' })).toEqual({
      tokenLifetimeSeconds: 'is required',
      routers: 'is required',
    });
  });

  it('checks the target', () => {
    expect(errorsOf({ ...defaults(), targetUtilization: 1 })).toEqual({
      targetUtilization: 'must be above 0 and below 1 (e.g. 0.7 for 70 %)',
    });
    expect(errorsOf({ ...defaults(), targetUtilization: '', maxLatencyMs: 0 })).toEqual({
      targetUtilization: 'is required',
      maxLatencyMs: 'must be above 0 (milliseconds), or empty for no bound',
    });
  });
});
