import { Controller, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { Access, Rule } from '@ml-run/server';

import { Caller, WRITE_SCOPE } from '../authorization/builder-access.enforcer';
import type { Principal } from '../authorization/request-authorizer.port';
import { ErrorResponseDto } from '../error-response.dto';
import type { IncomingBundle } from './bundle-intake.service';
import { UploadResponseDto } from './upload-response.dto';
import { UploadService } from './upload.service';

@ApiTags('models')
@ApiBearerAuth()
@Controller('v1/models')
export class UploadController {
  constructor(private readonly uploads: UploadService) {}

  @Post()
  @Access(Rule.token(WRITE_SCOPE))
  @ApiOperation({
    summary: 'Upload a bundle zip (raw body); it is checked, stored, versioned and built',
  })
  @ApiConsumes('application/zip', 'application/octet-stream')
  @ApiBody({ description: 'The bundle zip itself', schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: UploadResponseDto, description: 'A new version; its build started' })
  @ApiOkResponse({ type: UploadResponseDto, description: 'This version exists (created: false)' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'ZIP_INVALID: not a zip' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The token lacks models:write' })
  @ApiPayloadTooLargeResponse({
    type: ErrorResponseDto,
    description: 'BUNDLE_TOO_LARGE: over MLRUN_MAX_BUNDLE_BYTES',
  })
  @ApiUnsupportedMediaTypeResponse({
    type: ErrorResponseDto,
    description:
      'UNSUPPORTED_UPLOAD: send the zip as the raw body (multipart is not supported yet)',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description:
      "The bundle breaks the model contract (ZIP_*, MANIFEST_*, ENTRY_MISSING, ...): the contract's code and message",
  })
  upload(
    @Req() request: FastifyRequest,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UploadResponseDto> {
    return this.uploads.upload(incomingBundle(request), caller.sub).then(statusOf(reply));
  }
}

// 201 for a new version, 200 when it existed: the same body either way.
const statusOf = (reply: FastifyReply) => (response: UploadResponseDto) => {
  void reply.status(response.created ? 201 : 200);
  return response;
};

function incomingBundle(request: FastifyRequest): IncomingBundle {
  const length = Number(request.headers['content-length']);
  return {
    contentType: request.headers['content-type'],
    contentLength: Number.isFinite(length) ? length : undefined,
    body: request.body,
  };
}
