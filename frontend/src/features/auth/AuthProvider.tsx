import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { onSignedOut, refreshAccessToken } from "../../api/client";
import type { LoginRequest, User } from "../../api/types";
import { fetchMe, logIn, logOut } from "./api";

type AuthStatus = "loading" | "anonymous" | "signed-in";

interface AuthContextValue {
  status: AuthStatus;
  user: User | null;
  logIn: (credentials: LoginRequest) => Promise<User>;
  logOut: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/** Who is signed in. On a page load the refresh cookie (if any) restores the session. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [user, setUser] = useState<User | null>(null);
  const [status, setStatus] = useState<AuthStatus>("loading");

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const restored = (await refreshAccessToken()) ? await fetchMe().catch(() => null) : null;
      if (cancelled) return;
      setUser(restored);
      setStatus(restored ? "signed-in" : "anonymous");
    })();
    const unsubscribe = onSignedOut(() => {
      setUser(null);
      setStatus("anonymous");
      queryClient.clear();
    });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [queryClient]);

  const doLogIn = useCallback(
    async (credentials: LoginRequest) => {
      const signedIn = await logIn(credentials);
      queryClient.clear(); // what a visitor saw was read without this user's rights
      setUser(signedIn);
      setStatus("signed-in");
      return signedIn;
    },
    [queryClient],
  );

  const doLogOut = useCallback(async () => {
    try {
      await logOut();
    } finally {
      queryClient.clear();
      setUser(null);
      setStatus("anonymous");
    }
  }, [queryClient]);

  const value = useMemo(
    () => ({ status, user, logIn: doLogIn, logOut: doLogOut }),
    [status, user, doLogIn, doLogOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth needs an <AuthProvider> above it");
  return value;
}
