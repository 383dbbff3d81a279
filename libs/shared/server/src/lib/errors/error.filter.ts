import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { toErrorReply, type ErrorMapper } from './error-reply';

// The single place errors become HTTP answers: known errors say what to fix; anything
// else is logged with its stack and answered with only a request id to quote.
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorFilter.name);

  constructor(
    private readonly mapper: ErrorMapper | undefined,
    private readonly maxBodyBytes: number,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const known = toErrorReply(error, this.mapper, this.maxBodyBytes);
    if (!known) {
      this.logger.error({ err: error, requestId: request.id }, 'unhandled error');
      void reply.status(500).send({
        code: 'INTERNAL',
        message: 'internal error; quote the requestId when reporting it',
        requestId: request.id,
      });
      return;
    }
    if (known.headers) void reply.headers(known.headers);
    const body: Record<string, unknown> = { code: known.code, message: known.message };
    if (known.details !== undefined) body['details'] = known.details;
    void reply.status(known.status).send(body);
  }
}
