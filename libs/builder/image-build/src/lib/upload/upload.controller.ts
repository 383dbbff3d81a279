import { applyDecorators, Controller, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { Caller, ErrorResponseDto, ModelRule, type Principal } from '@ml-run/builder-registry';
import { Access } from '@ml-run/server';

import type { IncomingBundle } from './bundle-intake.service';
import { UploadResponseDto } from './upload-response.dto';
import { OWNER_GROUPS_FIELD, splitGroups, UploadService } from './upload.service';

// Who may upload what: the owner groups of a new model, and the refusals for others.
const OwnershipDocs = () =>
  applyDecorators(
    ApiQuery({
      name: OWNER_GROUPS_FIELD,
      required: false,
      description:
        'A new model only: groups that own it with you (comma-separated or repeated; groups you are in, any group for an admin). Also a multipart field sent before the zip',
    }),
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description:
        "INSUFFICIENT_SCOPE (the token lacks models:write:<the bundle's model>; details.requiredScope names it), NOT_MODEL_OWNER, OWNER_GROUP_NOT_YOURS",
    }),
    ApiConflictResponse({
      type: ErrorResponseDto,
      description:
        'VERSION_CONFLICT, or OWNER_GROUPS_FIXED: the model exists with other owner groups',
    }),
  );

@ApiTags('models')
@ApiBearerAuth()
@Controller('v1/models')
export class UploadController {
  constructor(private readonly uploads: UploadService) {}

  @Post()
  @Access(ModelRule.upload())
  @ApiOperation({
    summary: 'Upload a bundle zip (raw body); it is checked, stored, versioned and built',
  })
  @ApiConsumes('application/zip', 'application/octet-stream')
  @ApiBody({ description: 'The bundle zip itself', schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: UploadResponseDto, description: 'A new version; its build started' })
  @ApiOkResponse({ type: UploadResponseDto, description: 'This version exists (created: false)' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'ZIP_INVALID: not a zip' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token' })
  @OwnershipDocs()
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
    const query = request.query as Record<string, string | string[] | undefined>;
    const groups = splitGroups([query[OWNER_GROUPS_FIELD] ?? []].flat());
    return this.uploads.upload(incomingBundle(request), caller, groups).then(statusOf(reply));
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
