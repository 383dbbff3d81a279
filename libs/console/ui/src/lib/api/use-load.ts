import { useCallback, useEffect, useState } from 'react';

import { useApi } from './api-context';
import type { ConsoleApi } from './console-api';

export type Load<T> = {
  data?: T;
  error?: unknown;
  loading: boolean;
  /** Loads again (after a change); keeps the shown data until the answer comes. */
  reload(): void;
};

/**
 * Loads something through the API when the component mounts and whenever `key` changes;
 * an answer that arrives after the component moved on is dropped.
 * @example const models = useLoad((api, signal) => api.get<ModelListResponse>('/v1/models', signal), 'models');
 */
export function useLoad<T>(
  load: (api: ConsoleApi, signal: AbortSignal) => Promise<T>,
  key: string,
): Load<T> {
  const api = useApi();
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    load(api, controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, loading: false }),
      (error: unknown) =>
        !controller.signal.aborted &&
        setState((previous) => ({ data: previous.data, error, loading: false })),
    );
    return () => controller.abort();
    // `load` is a new function at each render; `key` says when the call changes.
  }, [api, key, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}
