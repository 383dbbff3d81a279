import { ContractError, ContractErrorCode } from '@ml-run/model-contract';

import { CliError, describeFailure } from './cli.errors';
import { ApiError } from './http/api.errors';

describe(describeFailure.name, () => {
  it('prints a fixable mistake as one line with exit code 1', () => {
    expect(describeFailure(new CliError('not logged in'))).toEqual({
      text: 'ml-run: not logged in',
      exitCode: 1,
    });
    expect(describeFailure(new ApiError(404, 'MODEL_NOT_FOUND', 'no model iris'))).toEqual({
      text: 'ml-run: error MODEL_NOT_FOUND: no model iris',
      exitCode: 1,
    });
    expect(
      describeFailure(new ApiError(403, 'NOT_MODEL_OWNER', 'bob is not an owner of iris')).text,
    ).toBe('ml-run: error NOT_MODEL_OWNER: bob is not an owner of iris');
    const contract = new ContractError(ContractErrorCode.EntryMissing, 'entry missing');
    expect(describeFailure(contract).text).toBe('ml-run: entry missing');
  });

  it('prints the stack of an unexpected error', () => {
    const { text, exitCode } = describeFailure(new TypeError('bug'));
    expect(text).toContain('TypeError: bug\n    at ');
    expect(exitCode).toBe(1);
  });
});
