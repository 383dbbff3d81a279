import { useCallback, useEffect, useState, type Dispatch, type SetStateAction } from 'react';

import type { ModelRecord } from '@ml-run/registry-contract';

import { useApi } from '../api/api-context';
import type { ConsoleApi } from '../api/console-api';
import { pathSegment } from '../api/path-segment';
import { afterStreamFailure, parseModelEvent, POLL_INTERVAL_MS } from './live-model';

export type LiveModel = {
  record?: ModelRecord;
  error?: unknown;
  /** `stream` while the events stream feeds it, `poll` on the fallback. */
  mode: 'stream' | 'poll';
};

export type LiveModelView = LiveModel & {
  /** Reads the record now (after an action here, not at the next poll). */
  refresh(): void;
};

/**
 * A model's record kept current: from `GET /v1/models/{name}/events` (a snapshot per
 * change), or by polling `GET /v1/models/{name}` every 2 s where that stream is missing.
 */
export function useLiveModel(name: string): LiveModelView {
  const api = useApi();
  const [live, setLive] = useState<LiveModel>({ mode: 'stream' });
  useEffect(() => {
    setLive({ mode: 'stream' });
    const controller = new AbortController();
    const path = `/v1/models/${pathSegment(name)}`;
    api
      .stream(
        `${path}/events`,
        ({ event, data }) => {
          const record = parseModelEvent(event, data);
          if (record) setLive({ record, mode: 'stream' });
        },
        controller.signal,
      )
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (afterStreamFailure(error) === 'fail') setLive((previous) => ({ ...previous, error }));
        else void poll(api, path, controller.signal, setLive);
      });
    return () => controller.abort();
  }, [api, name]);
  const refresh = useCallback(() => {
    api.get<ModelRecord>(`/v1/models/${pathSegment(name)}`).then(
      (record) => setLive((previous) => ({ ...previous, record, error: undefined })),
      () => undefined, // the stream or the next poll says it
    );
  }, [api, name]);
  return { ...live, refresh };
}

async function poll(
  api: ConsoleApi,
  path: string,
  signal: AbortSignal,
  setLive: Dispatch<SetStateAction<LiveModel>>,
): Promise<void> {
  while (!signal.aborted) {
    try {
      setLive({ record: await api.get<ModelRecord>(path, signal), mode: 'poll' });
    } catch (error) {
      if (signal.aborted) return;
      setLive((previous) => ({ ...previous, error, mode: 'poll' }));
      if (afterStreamFailure(error) === 'fail') return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
