// The instructor's area, one lazy chunk under /teach (app/routes.tsx), behind RequireAuth for
// instructors and admins. The API decides what each may change (an instructor only their own
// courses); an admin here sees every course.
import { NavLink, Route, Routes } from "react-router";
import { CourseEditPage } from "./CourseEditPage";
import { CoursesPage } from "./CoursesPage";
import { EnrollmentsPage, PaymentsPage } from "./ListsPages";
import { LessonEditPage } from "./LessonEditPage";

export function TeachArea() {
  return (
    <div className="teach-area">
      <nav className="subnav" aria-label="Teaching">
        <NavLink to="/teach" end>
          My courses
        </NavLink>
        <NavLink to="/teach/enrollments">Enrollments</NavLink>
        <NavLink to="/teach/payments">Payments</NavLink>
      </nav>
      <Routes>
        <Route index element={<CoursesPage />} />
        <Route path="new" element={<CourseEditPage />} />
        <Route path="courses/:courseId" element={<CourseEditPage />} />
        <Route path="lessons/:lessonId" element={<LessonEditPage />} />
        <Route path="enrollments" element={<EnrollmentsPage />} />
        <Route path="payments" element={<PaymentsPage />} />
        <Route
          path="*"
          element={
            <section>
              <h1>Page not found</h1>
              <p>There is no such teaching screen.</p>
            </section>
          }
        />
      </Routes>
    </div>
  );
}
