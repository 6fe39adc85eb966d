import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { ProgressBar } from "../../components/ProgressBar";
import { Empty, ErrorState, Loading } from "../../components/States";
import { fetchMyCourses, learningKeys } from "./api";

export function MyCoursesPage() {
  const courses = useQuery({ queryKey: learningKeys.myCourses, queryFn: ({ signal }) => fetchMyCourses(signal) });

  return (
    <section>
      <h1>My courses</h1>
      {courses.isPending ? (
        <Loading label="Loading your courses…" />
      ) : courses.isError ? (
        <ErrorState error={courses.error} onRetry={() => courses.refetch()} />
      ) : courses.data.results.length === 0 ? (
        <Empty>
          You are not enrolled in any course yet. <Link to="/">Browse the catalog</Link>.
        </Empty>
      ) : (
        <ul className="cards">
          {courses.data.results.map((enrollment) => (
            <li key={enrollment.id} className="card">
              <h2>
                <Link to={`/courses/${enrollment.course}`}>{enrollment.course_title}</Link>
              </h2>
              <ProgressBar percent={enrollment.percent} label={`Progress in ${enrollment.course_title}`} />
              {enrollment.completed_at && (
                <p>
                  <span className="badge badge-done">Completed</span>{" "}
                  <Link to="/certificates">Your certificate</Link>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
