import type { Provider } from '@nestjs/common';

import { AliasService } from './aliases/alias.service';
import { ModelAccess } from './authorization/model-access.service';
import { StreamCallerCheck } from './authorization/stream-caller-check';
import { ModelEvents } from './events/model-events.service';
import { OwnersMigration } from './registry/owners-migration.service';
import { RegistryQueries } from './registry/registry-queries.service';
import { EventStreams } from './streams/event-streams.service';

/**
 * The registry's services. They need from the host module: REGISTRY_STORE, EVENT_PUBLISHER,
 * REQUEST_AUTHORIZER, DataDirs and LongLivedStreams.
 */
export const REGISTRY_PROVIDERS: Provider[] = [
  ModelAccess,
  OwnersMigration,
  ModelEvents,
  RegistryQueries,
  AliasService,
  StreamCallerCheck,
  EventStreams,
];
