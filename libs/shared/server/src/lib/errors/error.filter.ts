import {
  Catch,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
  type HttpServer,
} from '@nestjs/common';

import { CommonErrorCode } from '@ml-run/error-codes';

import { toErrorReply, type ErrorMapper } from './error-reply';

// The single place errors become HTTP answers: known errors say what to fix; anything
// else is logged with its stack and answered with only a request id to quote. Replies go
// through the HTTP adapter because middleware errors carry the raw response, not Fastify's.
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorFilter.name);

  constructor(
    private readonly http: HttpServer,
    private readonly mapper: ErrorMapper | undefined,
    private readonly maxBodyBytes: number,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const requestId = (context.getRequest<{ id?: string }>() ?? {}).id;
    const response: unknown = context.getResponse();
    const known = toErrorReply(error, this.mapper, this.maxBodyBytes);
    if (!known) {
      this.logger.error({ err: error, requestId }, 'unhandled error');
      const body = {
        code: CommonErrorCode.Internal,
        message: 'internal error; quote the requestId when reporting it',
        requestId,
      };
      this.http.reply(response, body, 500);
      return;
    }
    for (const [name, value] of Object.entries(known.headers ?? {}))
      this.http.setHeader(response, name, value);
    const body: Record<string, unknown> = { code: known.code, message: known.message };
    if (known.details !== undefined) body['details'] = known.details;
    this.http.reply(response, body, known.status);
  }
}
