import { useCallback, useState } from 'react';

export type ActionState = {
  /** The name of the action running now (its button shows a loader). */
  busy?: string;
  error?: unknown;
  /** What the last action did, in a sentence. */
  done?: string;
};

/**
 * Runs one user action at a time (deploy, scale, ...) and keeps its outcome for display.
 * @example const [state, run] = useAction(); run('deploy', async () => { await api.send(...); return 'Deployed.'; })
 */
export function useAction(
  /** Called after an action succeeded (to read what it changed). */
  onDone?: () => void,
): [ActionState, (name: string, action: () => Promise<string>) => void] {
  const [state, setState] = useState<ActionState>({});
  const run = useCallback(
    (name: string, action: () => Promise<string>) => {
      setState({ busy: name });
      action().then(
        (done) => {
          setState({ done });
          onDone?.();
        },
        (error: unknown) => setState({ error }),
      );
    },
    [onDone],
  );
  return [state, run];
}
