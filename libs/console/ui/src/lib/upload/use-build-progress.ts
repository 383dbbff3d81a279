import { useEffect, useState } from 'react';

import { useApi } from '../api/api-context';
import { pathSegment } from '../api/path-segment';
import {
  applyBuildEvent,
  NO_PROGRESS,
  parseBuildEvent,
  type BuildProgress,
} from './build-progress';

/**
 * Follows a build's events (`GET /v1/builds/{id}/events`) until its `done`; reconnects
 * (the server replays the steps) when the stream drops.
 */
export function useBuildProgress(buildId: string | undefined): {
  progress: BuildProgress;
  error?: unknown;
} {
  const api = useApi();
  const [state, setState] = useState<{ progress: BuildProgress; error?: unknown }>({
    progress: NO_PROGRESS,
  });
  useEffect(() => {
    setState({ progress: NO_PROGRESS });
    if (!buildId) return;
    const controller = new AbortController();
    const path = `/v1/builds/${pathSegment(buildId)}/events`;
    api
      .stream(
        path,
        ({ event, data }) => {
          const parsed = parseBuildEvent(event, data);
          if (!parsed) return;
          setState((previous) => ({ progress: applyBuildEvent(previous.progress, parsed) }));
          if (parsed.type === 'done') controller.abort();
        },
        controller.signal,
      )
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState((previous) => ({ ...previous, error }));
      });
    return () => controller.abort();
  }, [api, buildId]);
  return state;
}
