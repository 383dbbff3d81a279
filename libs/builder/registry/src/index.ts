// Nest pieces the builder's module composes.
export { REGISTRY_PROVIDERS } from './lib/registry.providers';
export { RegistryController } from './lib/registry/registry.controller';
export { AliasController } from './lib/aliases/alias.controller';
export { BuilderAccessEnforcer, Caller } from './lib/authorization/builder-access.enforcer';

// What the builder's other features build on.
export {
  REQUEST_AUTHORIZER,
  type Principal,
  type RequestAuthorizer,
  type RequestAuthorizerProvider,
} from './lib/authorization/request-authorizer.port';
export { ModelAccess } from './lib/authorization/model-access.service';
export { ModelRule } from './lib/authorization/model-rules';
export { isAdmin } from './lib/authorization/model-owners';
export { StreamCallerCheck } from './lib/authorization/stream-caller-check';
export { BuilderError, BuilderErrorCode, mapBuilderError } from './lib/builder.errors';
export { DataDirs } from './lib/data-dirs';
export { ErrorResponseDto } from './lib/error-response.dto';
export { EVENT_PUBLISHER, ModelEvents } from './lib/events/model-events.service';
export { listing, requireModel, requireVersion } from './lib/registry/registry-lookup';
export { OwnersMigration } from './lib/registry/owners-migration.service';
export { RegistryQueries } from './lib/registry/registry-queries.service';
export { DeploymentRecordDto, DeploymentRequestDto } from './lib/registry/deployment-record.dto';
export { EventStreams, writeEvent } from './lib/streams/event-streams.service';
