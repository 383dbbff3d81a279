import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

import type { RouteAccess } from './access/access-control';

/** A started-but-not-listening service: `listen()` to serve, `inject()` to test. */
export class ServiceApp {
  constructor(
    readonly nest: NestFastifyApplication,
    private readonly settings: { MLRUN_PORT: number; MLRUN_HOST: string },
    /** Every route served, with the access rules it declared (HEAD routes included). */
    readonly routes: readonly RouteAccess[] = [],
  ) {}

  /** Listens on MLRUN_HOST:MLRUN_PORT (port 0 picks a free one); returns the base URL. */
  async listen(): Promise<string> {
    await this.nest.listen(this.settings.MLRUN_PORT, this.settings.MLRUN_HOST);
    const address = this.nest.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : this.settings.MLRUN_PORT;
    return `http://${this.settings.MLRUN_HOST}:${port}`;
  }

  inject(options: InjectOptions): Promise<LightMyRequestResponse> {
    return this.nest.getHttpAdapter().getInstance().inject(options);
  }

  close(): Promise<void> {
    return this.nest.close();
  }
}
