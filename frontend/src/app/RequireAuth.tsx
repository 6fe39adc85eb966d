import type { ReactNode } from "react";
import { Link, Navigate, useLocation } from "react-router";
import type { Role } from "../api/types";
import { Loading } from "../components/States";
import { useAuth } from "../features/auth/AuthProvider";

/**
 * A screen for signed-in users: others are sent to log in, and come back after. With `roles`,
 * another role is told the area is not theirs (the API refuses them anyway; this spares them a
 * screen of 403s).
 */
export function RequireAuth({ children, roles }: { children: ReactNode; roles?: Role[] }) {
  const { status, user } = useAuth();
  const location = useLocation();
  if (status === "anonymous") {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (roles) {
    if (status === "loading" || !user) return <Loading />;
    if (!roles.includes(user.role)) {
      return (
        <section>
          <h1>Not for this account</h1>
          <p>
            This area is for {roles.map((role) => `${role}s`).join(" and ")}. <Link to="/">Go to the catalog</Link>.
          </p>
        </section>
      );
    }
  }
  return children;
}
