import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

import { splitHostPortList } from '@ml-run/config';

import type { RouteAccess } from './access/access-control';
import type { SecondaryListeners } from './listening/secondary-listeners';

/** A started-but-not-listening service: `listen()` to serve, `inject()` to test. */
export class ServiceApp {
  constructor(
    readonly nest: NestFastifyApplication,
    private readonly settings: { MLRUN_PORT: number; MLRUN_HOST: string },
    /** Every route served, with the access rules it declared (HEAD routes included). */
    readonly routes: readonly RouteAccess[],
    /** Serves MLRUN_HOST's addresses after the first. */
    private readonly secondary: SecondaryListeners,
  ) {}

  /**
   * Listens on every MLRUN_HOST address at MLRUN_PORT (port 0: the first address picks a
   * free one, the others share it); returns the first address's base URL.
   */
  async listen(): Promise<string> {
    const [primary = '127.0.0.1', ...others] = splitHostPortList(this.settings.MLRUN_HOST);
    await this.nest.listen(this.settings.MLRUN_PORT, primary);
    const address = this.nest.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : this.settings.MLRUN_PORT;
    for (const host of others) await this.secondary.listen(port, host);
    return `http://${primary.includes(':') ? `[${primary}]` : primary}:${port}`;
  }

  inject(options: InjectOptions): Promise<LightMyRequestResponse> {
    return this.nest.getHttpAdapter().getInstance().inject(options);
  }

  close(): Promise<void> {
    return this.nest.close();
  }
}
