import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { OAuthError, oauthErrorReply } from './auth-issuer.errors';

/** Answers that carry or concern credentials must not be cached (RFC 6749 §5.1). */
export const NO_STORE_HEADERS = { 'cache-control': 'no-store', pragma: 'no-cache' };

// OAuth clients read `error`/`error_description` (RFC 6749 §5.2); ML-RUN clients read
// `code`/`message`. The token endpoints answer both in one body.
@Catch(OAuthError)
export class OAuthErrorFilter implements ExceptionFilter<OAuthError> {
  catch(error: OAuthError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const mapped = oauthErrorReply(error);
    void reply
      .status(mapped.status)
      .headers({ ...NO_STORE_HEADERS, ...mapped.headers })
      .send({
        error: error.error,
        error_description: error.message,
        code: mapped.code,
        message: mapped.message,
      });
  }
}
