import { Module, type DynamicModule } from '@nestjs/common';

import { EVENT_SUBSCRIBER, type EventSubscriber } from '@ml-run/event-bus';
import { LongLivedStreams } from '@ml-run/server';
import { TOKEN_STORE, type TokenStore } from '@ml-run/token-store';

import { IntrospectionController } from './introspection/introspection.controller';
import { IntrospectionMetrics } from './introspection/introspection.metrics';
import { IntrospectionService } from './introspection/introspection.service';
import { TokenEventStreams } from './token-events/token-event-streams.service';
import { TokenEventsController } from './token-events/token-events.controller';
import type { TokenValidatorConfig } from './token-validator.config';

/** What the validator reads from: memory in embedded mode, Ignite and Kafka in a cluster. */
export type TokenValidatorAdapters = {
  tokenStore: TokenStore;
  events: EventSubscriber;
};

@Module({})
export class TokenValidatorModule {
  static forRoot(config: TokenValidatorConfig, adapters: TokenValidatorAdapters): DynamicModule {
    return {
      module: TokenValidatorModule,
      controllers: [IntrospectionController, TokenEventsController],
      providers: [
        { provide: TOKEN_STORE, useValue: adapters.tokenStore },
        { provide: EVENT_SUBSCRIBER, useValue: adapters.events },
        { provide: LongLivedStreams, useValue: LongLivedStreams.fromSettings(config) },
        IntrospectionMetrics,
        IntrospectionService,
        TokenEventStreams,
      ],
    };
  }
}
