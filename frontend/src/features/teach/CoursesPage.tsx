import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { formatPrice } from "../../components/format";
import { ListView, formatDateTime } from "../../components/lists";
import { useAuth } from "../auth/AuthProvider";
import { fetchTeachCourses, teachKeys } from "./api";
import { usePageAndCourse } from "./parts";

/** The instructor's courses, drafts included (an admin's: every course), newest first. */
export function CoursesPage() {
  const { user } = useAuth();
  const instructor = user?.role === "admin" ? null : (user?.id ?? null);
  const { page, update } = usePageAndCourse();
  const courses = useQuery({
    queryKey: teachKeys.courses(instructor, page),
    queryFn: ({ signal }) => fetchTeachCourses(instructor, page, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <section>
      <div className="page-head">
        <h1>{instructor === null ? "All courses" : "My courses"}</h1>
        <Link className="button" to="/teach/new">
          New course
        </Link>
      </div>
      <ListView
        query={courses}
        page={page}
        onPage={(next) => update({ page: next })}
        noun={["course", "courses"]}
        empty="You have no course yet. Start with “New course”."
      >
        {(rows) => (
          <table className="admin-table">
            <caption className="visually-hidden">{instructor === null ? "All courses" : "My courses"}</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Price</th>
                <th scope="col">Last changed</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((course) => (
                <tr key={course.id}>
                  <td data-label="Title">
                    <Link to={`/teach/courses/${course.id}`}>{course.title}</Link>
                    {instructor === null && <span className="muted"> by {course.instructor_name}</span>}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={course.status} />
                  </td>
                  <td data-label="Price">{formatPrice(course.price)}</td>
                  <td data-label="Last changed">{formatDateTime(course.updated_at)}</td>
                  <td data-label="Actions">
                    <div className="row-actions">
                      <Link to={`/teach/courses/${course.id}`} aria-label={`Edit ${course.title}`}>
                        Edit
                      </Link>
                      {course.status === "published" && (
                        <Link to={`/courses/${course.id}`} aria-label={`${course.title} in the catalog`}>
                          In the catalog
                        </Link>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ListView>
    </section>
  );
}

export function StatusBadge({ status }: { status: "draft" | "published" }) {
  return <span className={`badge course-${status}`}>{status === "draft" ? "Draft" : "Published"}</span>;
}
