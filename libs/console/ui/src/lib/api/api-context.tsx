import { createContext, useContext, type ReactNode } from 'react';

import type { ConsoleApi } from './console-api';

const ApiContext = createContext<ConsoleApi | undefined>(undefined);

export function ApiProvider({ api, children }: { api: ConsoleApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

/** The console's client, with the session's token; any 401 through it ends the session. */
export function useApi(): ConsoleApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() is used outside <ApiProvider>');
  return api;
}
