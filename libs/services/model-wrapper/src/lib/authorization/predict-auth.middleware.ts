import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';

import { annotateRequest } from '@ml-run/server';

import { TokenAuthorizer } from './token-authorizer.service';

// Middleware, not a guard: it runs before the body is read, so a caller without a valid
// token cannot make the replica buffer a 10 MiB body, and never reaches predict.
@Injectable()
export class PredictAuthMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(private readonly authorizer: TokenAuthorizer) {}

  async use(request: IncomingMessage, _response: ServerResponse, next: () => void): Promise<void> {
    const principal = await this.authorizer.authorize(
      request.headers.authorization,
      request.url ?? '',
    );
    annotateRequest(request, { sub: principal.sub, tokenId: principal.tokenId });
    next();
  }
}
