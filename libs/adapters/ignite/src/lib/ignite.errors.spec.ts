import IgniteClient from 'apache-ignite-client';

import {
  IgniteError,
  IgniteErrorCode,
  IgniteUnavailableError,
  toIgniteError,
} from './ignite.errors';

const { Errors } = IgniteClient;
const endpoints = ['127.0.0.1:10800'];

describe(toIgniteError.name, () => {
  it('calls a lost connection or a client that is not connected "unavailable"', () => {
    for (const error of [new Errors.LostConnectionError(), new Errors.IllegalStateError()]) {
      const mapped = toIgniteError(error, endpoints);
      expect(mapped).toBeInstanceOf(IgniteUnavailableError);
      expect(mapped.message).toContain('127.0.0.1:10800');
      expect(mapped.cause).toBe(error);
    }
  });

  it('calls a node that is starting or stopping "unavailable"', () => {
    const error = new Errors.OperationError(
      'Cannot perform the operation because the cluster is inactive.',
    );
    expect(toIgniteError(error, endpoints)).toBeInstanceOf(IgniteUnavailableError);
  });

  it('calls any other refusal a failed operation', () => {
    const mapped = toIgniteError(new Errors.OperationError('Cache does not exist'), endpoints);
    expect(mapped).not.toBeInstanceOf(IgniteUnavailableError);
    expect(mapped).toMatchObject({
      code: IgniteErrorCode.OperationFailed,
      message: 'Ignite operation failed: Cache does not exist',
    });
  });

  it('passes its own errors through', () => {
    const error = new IgniteError(IgniteErrorCode.Unavailable, 'x');
    expect(toIgniteError(error, endpoints)).toBe(error);
  });
});
