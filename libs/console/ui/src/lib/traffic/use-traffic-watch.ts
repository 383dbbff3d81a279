import { useEffect, useState } from 'react';

import type { ModelTraffic } from '@ml-run/registry-contract';

import { useApi } from '../api/api-context';
import { ApiError } from '../api/api-error';
import { TrafficWatch, type TrafficView } from './traffic-watch';

export const POLL_MS = 2000;

export type TrafficWatchState = {
  view?: TrafficView;
  /** The last poll's failure, cleared by the next answer. */
  error?: unknown;
  /** When the watch took its first sample (the builder's clock). */
  since?: string;
  /** Polling stopped: the answer cannot change by asking again (403, 404). */
  stopped: boolean;
};

/**
 * Polls the model's traffic every POLL_MS while mounted; a new model starts a new watch
 * (shares count from its first sample). The next poll starts only when the previous one
 * ended, so a slow builder is never asked twice at once.
 */
export function useTrafficWatch(model: string | null): TrafficWatchState {
  const api = useApi();
  const [state, setState] = useState<TrafficWatchState>({ stopped: false });
  useEffect(() => {
    setState({ stopped: false });
    if (!model) return;
    const watch = new TrafficWatch();
    const controller = new AbortController();
    let since: string | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      let stop = false;
      try {
        const path = `/v1/models/${encodeURIComponent(model)}/traffic`;
        const sample = await api.get<ModelTraffic>(path, controller.signal);
        if (controller.signal.aborted) return;
        if (watch.add(sample)) since ??= sample.sampledAt;
        setState({ view: watch.view(), since, stopped: false });
      } catch (error) {
        if (controller.signal.aborted) return;
        stop = error instanceof ApiError && [401, 403, 404].includes(error.status);
        setState((previous) => ({ ...previous, error, stopped: stop }));
      }
      if (!stop && !controller.signal.aborted) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, model]);
  return state;
}
