import { ApiError } from '../api/api-error';
import { afterStreamFailure, parseModelEvent } from './live-model';

describe(afterStreamFailure.name, () => {
  it.each([
    [new ApiError(404, 'NOT_FOUND', 'no route GET /v1/models/iris/events'), 'poll'],
    [new ApiError(405, 'HTTP_405', 'method'), 'poll'],
    [new Error('parse'), 'poll'],
    [new ApiError(404, 'MODEL_NOT_FOUND', 'no model iris'), 'fail'],
    [new ApiError(403, 'INSUFFICIENT_SCOPE', 'no read'), 'fail'],
    [new ApiError(401, 'TOKEN_EXPIRED', 'expired'), 'fail'],
  ])('%s → %s', (error, next) => {
    expect(afterStreamFailure(error)).toBe(next);
  });
});

describe(parseModelEvent.name, () => {
  it('reads model events only', () => {
    const record = { name: 'iris', versions: [], aliases: {}, deployments: [] };
    expect(parseModelEvent('model', JSON.stringify(record))).toEqual(record);
    expect(parseModelEvent('message', JSON.stringify(record))).toBeUndefined();
    expect(parseModelEvent('model', '{"other":1}')).toBeUndefined();
  });
});
