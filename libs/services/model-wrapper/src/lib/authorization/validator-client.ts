import type { IntrospectionResponse } from '@ml-run/token-contract';

export type ValidatorSettings = { url: string; serviceToken: string; timeoutMs: number };

/** The validator could not answer: network error, timeout, 5xx or a refused credential. */
export class ValidatorUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidatorUnavailableError';
  }
}

/** RFC 7662 introspection against the token-validator, with the service credential. */
export class ValidatorClient {
  private readonly endpoint: string;

  constructor(private readonly settings: ValidatorSettings) {
    this.endpoint = new URL('/v1/tokens/introspect', settings.url).toString();
  }

  async introspect(token: string): Promise<IntrospectionResponse> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.settings.serviceToken}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token }).toString(),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      throw new ValidatorUnavailableError(
        `token-validator at ${this.settings.url} is unreachable: ${reason}`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ValidatorUnavailableError(
        `token-validator answered ${response.status}${response.status === 401 ? ' (check MLRUN_SERVICE_TOKEN)' : ''}`,
      );
    }
    return (await response.json()) as IntrospectionResponse;
  }
}
