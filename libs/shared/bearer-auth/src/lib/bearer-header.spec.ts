import { readBearerHeader } from './bearer-header';

describe(readBearerHeader.name, () => {
  it.each([
    ['Bearer mlr_abc-DEF_123', 'mlr_abc-DEF_123'],
    ['bearer mlr_abc', 'mlr_abc'],
    ['Bearer   abc+/def==', 'abc+/def=='],
  ])('reads the token from %p', (header, token) => {
    expect(readBearerHeader(header, '/v1/predict')).toEqual({ kind: 'token', token });
  });

  it.each([undefined, '', 'Basic dXNlcjpwYXNz'])('treats %p as no bearer credentials', (header) => {
    expect(readBearerHeader(header, '/v1/predict')).toEqual({ kind: 'missing' });
  });

  it.each(['Bearer', 'Bearer ', 'Bearer a b', 'Bearer a,b', 'Bearer é'])(
    'calls %p malformed',
    (header) => {
      expect(readBearerHeader(header, '/v1/predict').kind).toBe('malformed');
    },
  );

  it('refuses two Authorization headers', () => {
    expect(readBearerHeader(['Bearer a', 'Bearer b'], '/v1/predict').kind).toBe('malformed');
  });

  it('refuses a token in the query string even with a valid header', () => {
    const result = readBearerHeader('Bearer abc', '/v1/predict?access_token=abc');
    expect(result).toEqual({
      kind: 'malformed',
      reason: expect.stringContaining('tokens in the URL are refused'),
    });
  });
});
