import type { CliDeps } from '../cli-deps';
import { BuilderClient } from '../http/builder-client';
import { RouterClient } from '../http/router-client';
import { requireToken } from './token-file';

export type Clients = { builder: BuilderClient; router: RouterClient; user: string };

/** Clients for the builder and router carrying the stored token ("not logged in" without one). */
export async function authorizedClients(deps: CliDeps): Promise<Clients> {
  const stored = await requireToken(deps.dataDir, (deps.now ?? Date.now)());
  return {
    builder: new BuilderClient({
      label: 'builder',
      baseUrl: deps.urls.builder,
      token: stored.token,
    }),
    router: new RouterClient({ label: 'router', baseUrl: deps.urls.router, token: stored.token }),
    user: stored.user,
  };
}
