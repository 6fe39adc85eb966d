// The admin area, one lazy chunk under /manage (app/routes.tsx). Not /admin/: that is Django's
// admin site, which the app does not serve. The API decides what an admin may do; this gate only
// spares other roles a screen of 403s.
import { Link, NavLink, Navigate, Route, Routes } from "react-router";
import { useAuth } from "../auth/AuthProvider";
import { AuditPage } from "./AuditPage";
import { EnrollmentsPage } from "./EnrollmentsPage";
import { PaymentsPage } from "./PaymentsPage";
import { UsersPage } from "./UsersPage";

export function AdminArea() {
  const { user } = useAuth();
  if (user?.role !== "admin") {
    return (
      <section>
        <h1>For admins only</h1>
        <p>
          This area is for admin accounts. <Link to="/">Go to the catalog</Link>.
        </p>
      </section>
    );
  }
  return (
    <div className="admin-area">
      <nav className="subnav" aria-label="Admin">
        <NavLink to="/manage/users">Users</NavLink>
        <NavLink to="/manage/payments">Payments</NavLink>
        <NavLink to="/manage/enrollments">Enrollments</NavLink>
        <NavLink to="/manage/audit">Audit log</NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to="/manage/users" replace />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="payments" element={<PaymentsPage />} />
        <Route path="enrollments" element={<EnrollmentsPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route
          path="*"
          element={
            <section>
              <h1>Page not found</h1>
              <p>There is no such admin screen.</p>
            </section>
          }
        />
      </Routes>
    </div>
  );
}
