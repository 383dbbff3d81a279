import { ApiError, errorFromResponse, networkError } from './api-error';

describe(errorFromResponse.name, () => {
  it('takes the builder body code and sentence', () => {
    const error = errorFromResponse(
      404,
      null,
      JSON.stringify({ code: 'MODEL_NOT_FOUND', message: 'no model iris' }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'MODEL_NOT_FOUND', message: 'no model iris' });
    expect(error.missingScope).toBeUndefined();
  });

  it('names the missing scope of a 403 from the WWW-Authenticate challenge', () => {
    const error = errorFromResponse(
      403,
      'Bearer realm="ml-run", error="insufficient_scope", error_description="the token does not grant models:write:iris", scope="models:write:iris"',
      JSON.stringify({
        code: 'INSUFFICIENT_SCOPE',
        message: 'the token does not grant models:write:iris',
      }),
    );
    expect(error).toMatchObject({ code: 'INSUFFICIENT_SCOPE', missingScope: 'models:write:iris' });
  });

  it('falls back to the body details for the missing scope', () => {
    const body = { code: 'INSUFFICIENT_SCOPE', message: 'no', details: { requiredScope: 'admin' } };
    expect(errorFromResponse(403, null, JSON.stringify(body)).missingScope).toBe('admin');
  });

  it('reads OAuth error bodies of the issuer', () => {
    const body = { error: 'invalid_grant', error_description: 'username or password is wrong' };
    expect(errorFromResponse(400, null, JSON.stringify(body))).toMatchObject({
      code: 'INVALID_GRANT',
      message: 'username or password is wrong',
    });
  });

  it('still says something for a body that is not JSON', () => {
    expect(errorFromResponse(502, null, '<html>Bad gateway</html>')).toMatchObject({
      status: 502,
      code: 'HTTP_502',
      message: 'The server answered 502 without an explanation.',
    });
  });
});

describe(networkError.name, () => {
  it('is status 0 with the cause in the sentence', () => {
    expect(networkError(new TypeError('fetch failed'))).toMatchObject({
      status: 0,
      code: 'NETWORK_ERROR',
      message: expect.stringContaining('fetch failed'),
    });
  });
});
