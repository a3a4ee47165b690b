import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApiClient } from '../api/client.js';
import { WebhooksApi } from '../api/webhooks.js';

const STORAGE_KEY = 'codeplanet.dashboard.token';

export interface Session {
  token: string;
  /** `account` for a `cpk_...` key, `admin` for anything else (the admin token). */
  kind: 'account' | 'admin';
  api: WebhooksApi;
  signOut: () => void;
}

interface SessionState {
  session: Session | null;
  signIn: (token: string) => void;
}

const SessionContext = createContext<SessionState | null>(null);

export function tokenKind(token: string): Session['kind'] {
  return token.startsWith('cpk_') ? 'account' : 'admin';
}

function readToken(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(readToken);

  const signOut = useCallback(() => {
    window.sessionStorage.removeItem(STORAGE_KEY);
    setToken(null);
  }, []);

  const signIn = useCallback((next: string) => {
    window.sessionStorage.setItem(STORAGE_KEY, next);
    setToken(next);
  }, []);

  const value = useMemo<SessionState>(() => {
    if (!token) return { session: null, signIn };
    const api = new WebhooksApi(new ApiClient(token, signOut));
    return { session: { token, kind: tokenKind(token), api, signOut }, signIn };
  }, [token, signIn, signOut]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The signed-in session; only used below the sign-in gate. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error('not signed in');
  return session;
}
