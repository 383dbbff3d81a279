import { useState } from 'react';

import { useApi } from '../api/api-context';
import type { ConsoleApi } from '../api/console-api';
import { removeUser, revokeTokens } from './users-api';

export type PendingAction = { action: 'remove' | 'revoke'; username: string };

/**
 * The page's two irreversible actions: asked for (pending), confirmed (busy), then either
 * a sentence saying what happened (done) or the issuer's error.
 */
export function useUserActions(onRemoved: () => void) {
  const api = useApi();
  const [pending, setPending] = useState<PendingAction>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<unknown>();

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setError(undefined);
    try {
      setDone(await run(api, pending));
      if (pending.action === 'remove') onRemoved();
    } catch (failure) {
      setDone(undefined);
      setError(failure);
    } finally {
      setBusy(false);
      setPending(undefined);
    }
  };

  return {
    pending,
    busy,
    done,
    error,
    ask: (action: PendingAction['action'], username: string) => setPending({ action, username }),
    cancel: () => setPending(undefined),
    confirm: () => void confirm(),
    /** Another part of the page reports its own success (an added user). */
    report: (sentence: string | undefined) => {
      setError(undefined);
      setDone(sentence);
    },
  };
}

// Does the action; answers the sentence that says what happened.
async function run(api: ConsoleApi, { action, username }: PendingAction): Promise<string> {
  if (action === 'remove') {
    await removeUser(api, username);
    return `Removed ${username}; their tokens are revoked.`;
  }
  const revoked = await revokeTokens(api, username);
  const notBefore = new Date(revoked.notBefore).toLocaleString();
  return `Revoked every token of ${revoked.sub} issued before ${notBefore}.`;
}
