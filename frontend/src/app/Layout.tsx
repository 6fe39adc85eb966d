import { Suspense } from "react";
import { Link, NavLink, Outlet, useNavigate } from "react-router";
import { Loading } from "../components/States";
import { useAuth } from "../features/auth/AuthProvider";

export function Layout() {
  const { status, user, logOut } = useAuth();
  const navigate = useNavigate();

  async function signOut() {
    await logOut();
    navigate("/");
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          LMS
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Catalog
          </NavLink>
          {user?.role === "student" && (
            <>
              <NavLink to="/my-courses">My courses</NavLink>
              <NavLink to="/certificates">Certificates</NavLink>
              <NavLink to="/my-payments">My payments</NavLink>
            </>
          )}
          {user?.role === "instructor" && <NavLink to="/teach">Teach</NavLink>}
          {user?.role === "admin" && <NavLink to="/manage">Admin</NavLink>}
          {status === "signed-in" && user ? (
            <>
              <span className="muted">Signed in as {user.username}</span>
              <button type="button" className="link-button" onClick={signOut}>
                Log out
              </button>
            </>
          ) : status === "anonymous" ? (
            <>
              <NavLink to="/login">Log in</NavLink>
              <NavLink to="/register">Register</NavLink>
            </>
          ) : null}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {status === "loading" ? (
          <Loading />
        ) : (
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        )}
      </main>
    </>
  );
}
