import { CommonErrorCode, commonErrorCodeFor } from './common-error-code';

describe(commonErrorCodeFor.name, () => {
  it.each([
    [400, CommonErrorCode.BadRequest],
    [404, 'NOT_FOUND'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [429, 'TOO_MANY_REQUESTS'],
    [503, 'SERVICE_UNAVAILABLE'],
  ])('names status %p %p', (status, code) => {
    expect(commonErrorCodeFor(status)).toBe(code);
  });

  it('names a status it has no name for by its number', () => {
    expect(commonErrorCodeFor(418)).toBe('HTTP_418');
    expect(commonErrorCodeFor(500)).toBe('HTTP_500');
  });
});
