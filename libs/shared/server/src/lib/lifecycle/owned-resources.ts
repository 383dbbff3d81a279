import { Logger, type OnApplicationShutdown } from '@nestjs/common';

/** Something a service's host opened for it (an Ignite pool, a Kafka bus) and must close. */
export type OwnedResource = { close(): Promise<void> | void };

/**
 * Closes the host's resources after the HTTP server has stopped (Nest's last shutdown
 * phase), newest first: requests still finishing during the drain can use them, and
 * SIGTERM handled by Nest closes them too. One failing close does not skip the others.
 */
export class OwnedResources implements OnApplicationShutdown {
  private readonly logger = new Logger(OwnedResources.name);

  constructor(private readonly resources: readonly OwnedResource[]) {}

  async onApplicationShutdown(): Promise<void> {
    for (const resource of [...this.resources].reverse()) {
      try {
        await resource.close();
      } catch (error) {
        this.logger.error({ err: error }, 'a resource failed to close');
      }
    }
  }
}
