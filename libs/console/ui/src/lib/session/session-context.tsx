import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';

import type { TokenResponse } from '@ml-run/token-contract';

import { ApiProvider } from '../api/api-context';
import { createConsoleApi } from '../api/console-api';
import {
  canWith,
  isAdmin,
  REVOKE_PATH,
  sessionFromToken,
  TOKEN_PATH,
  type Session,
} from './session';

type SessionControl = {
  session?: Session;
  /** True once a session ended on its own (a 401, the token's expiry): sign-in says so. */
  ended: boolean;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
};

const SessionContext = createContext<SessionControl | undefined>(undefined);

/**
 * Holds the session in memory (never in storage or a cookie: a reload signs out) and
 * gives the tree a client that carries its token and ends it on any 401.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>();
  const [ended, setEnded] = useState(false);
  const token = useRef<string | undefined>(undefined);
  token.current = session?.token;
  const endSession = useCallback((endedOnItsOwn: boolean) => {
    token.current = undefined;
    setSession(undefined);
    setEnded(endedOnItsOwn);
  }, []);
  const api = useMemo(
    () => createConsoleApi({ token: () => token.current, onUnauthorized: () => endSession(true) }),
    [endSession],
  );
  useExpiry(session, () => endSession(true));

  const control = useMemo<SessionControl>(
    () => ({
      session,
      ended,
      async signIn(username, password) {
        const body = { grant_type: 'password', username, password };
        const answer = await api.send<TokenResponse>('POST', TOKEN_PATH, body);
        setEnded(false);
        setSession(sessionFromToken(username, answer, Date.now()));
      },
      async signOut() {
        const current = token.current;
        endSession(false);
        // RFC 7009: holding the token is the right to end it. Forgotten here either way.
        if (current)
          await api.send('POST', REVOKE_PATH, revocation(current)).catch(() => undefined);
      },
    }),
    [api, session, ended, endSession],
  );

  return (
    <SessionContext.Provider value={control}>
      <ApiProvider api={api}>{children}</ApiProvider>
    </SessionContext.Provider>
  );
}

function revocation(token: string): URLSearchParams {
  return new URLSearchParams({ token, token_type_hint: 'access_token' });
}

// The issuer says how long the token lives: end the session then rather than at the next
// call's 401.
function useExpiry(session: Session | undefined, onExpired: () => void): void {
  const expired = useRef(onExpired);
  expired.current = onExpired;
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => expired.current(), Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session]);
}

export function useSessionControl(): SessionControl {
  const control = useContext(SessionContext);
  if (!control) throw new Error('useSessionControl() is used outside <SessionProvider>');
  return control;
}

export type SignedIn = {
  username: string;
  scopes: string[];
  isAdmin: boolean;
  /** @example can('models:write:iris') */
  can(scope: string): boolean;
  signOut(): Promise<void>;
};

/** The signed-in user; only under the signed-in shell. */
export function useSession(): SignedIn {
  const { session, signOut } = useSessionControl();
  if (!session) throw new Error('useSession() is used while signed out');
  return {
    username: session.username,
    scopes: session.scopes,
    isAdmin: isAdmin(session.scopes),
    can: (scope) => canWith(session.scopes, scope),
    signOut,
  };
}
