import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import {
  courseKeys,
  enroll,
  enrollmentKeys,
  fetchCourse,
  fetchCurriculum,
  fetchMyEnrollment,
  fetchProgress,
} from "../../api/courses";
import type { Course, Curriculum } from "../../api/types";
import { ProgressBar } from "../../components/ProgressBar";
import { ErrorState, FormError, Loading } from "../../components/States";
import { formatPrice } from "../../components/format";
import { useAuth } from "../auth/AuthProvider";
import { CourseReviews } from "./CourseReviews";
import { flattenLessons, lessonPath, resumeLesson } from "../../lib/curriculum";

export function CoursePage() {
  const courseId = Number(useParams().courseId);
  const course = useQuery({ queryKey: courseKeys.detail(courseId), queryFn: ({ signal }) => fetchCourse(courseId, signal) });
  const curriculum = useQuery({
    queryKey: courseKeys.curriculum(courseId),
    queryFn: ({ signal }) => fetchCurriculum(courseId, signal),
  });

  if (course.isPending) return <Loading label="Loading the course…" />;
  if (course.isError) return <ErrorState error={course.error} onRetry={() => course.refetch()} />;

  return (
    <article>
      <p>
        <Link to="/">← All courses</Link>
      </p>
      <h1>{course.data.title}</h1>
      <p className="muted">by {course.data.instructor_name}</p>
      <p className="price">{formatPrice(course.data.price)}</p>
      <EnrollPanel course={course.data} curriculum={curriculum.data} />
      <h2>About this course</h2>
      {course.data.description ? (
        <p className="description">{course.data.description}</p>
      ) : (
        <p className="muted">No description yet.</p>
      )}
      <h2>Curriculum</h2>
      {curriculum.isPending ? (
        <Loading label="Loading the curriculum…" />
      ) : curriculum.isError ? (
        <ErrorState error={curriculum.error} onRetry={() => curriculum.refetch()} />
      ) : curriculum.data.sections.length === 0 ? (
        <p className="muted">The instructor has not added any lessons yet.</p>
      ) : (
        <ol className="outline">
          {curriculum.data.sections.map((section) => (
            <li key={section.id}>
              <h3>{section.title}</h3>
              {section.lessons.length === 0 ? (
                <p className="muted">No lessons in this section yet.</p>
              ) : (
                <ul>
                  {section.lessons.map((lesson) => (
                    <li key={lesson.id}>
                      {lesson.is_preview ? (
                        <Link to={lessonPath(courseId, lesson.id)}>{lesson.title}</Link>
                      ) : (
                        <span>{lesson.title}</span>
                      )}{" "}
                      <span className="muted">
                        {lesson.kind}
                        {lesson.duration_minutes ? `, ${lesson.duration_minutes} min` : ""}
                      </span>
                      {lesson.is_preview && <span className="badge">Free preview</span>}
                      {lesson.is_completed && <span className="badge badge-done">Completed</span>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      <CourseReviews course={course.data} />
    </article>
  );
}

function EnrollPanel({ course, curriculum }: { course: Course; curriculum: Curriculum | undefined }) {
  const { status, user } = useAuth();
  const queryClient = useQueryClient();
  const isStudent = status === "signed-in" && user?.role === "student";
  const enrollment = useQuery({
    queryKey: enrollmentKeys.forCourse(course.id),
    queryFn: ({ signal }) => fetchMyEnrollment(course.id, signal),
    enabled: isStudent,
  });
  const progress = useQuery({
    queryKey: enrollmentKeys.progress(enrollment.data?.id ?? 0),
    queryFn: ({ signal }) => fetchProgress(enrollment.data!.id, signal),
    enabled: Boolean(enrollment.data),
  });
  const join = useMutation({
    mutationFn: () => enroll(course.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: enrollmentKeys.all }),
  });

  if (status !== "signed-in") {
    return (
      <p className="panel">
        <Link to={`/login?next=/courses/${course.id}`}>Log in</Link> or <Link to="/register">register</Link> to enroll.
      </p>
    );
  }
  if (!isStudent) return null;
  if (enrollment.isPending) return <Loading label="Checking your enrollment…" />;
  if (enrollment.isError) return <ErrorState error={enrollment.error} onRetry={() => enrollment.refetch()} />;

  if (enrollment.data) {
    const lessons = curriculum ? flattenLessons(curriculum) : [];
    const next = resumeLesson(lessons, progress.data?.last_lesson ?? null);
    return (
      <div className="panel">
        <p>You are enrolled in this course.</p>
        <ProgressBar percent={enrollment.data.percent} label="Your progress" />
        {enrollment.data.completed_at && (
          <p>
            You completed this course. <Link to="/certificates">See your certificate</Link>
          </p>
        )}
        {next && (
          <Link className="button" to={lessonPath(course.id, next.id)}>
            {enrollment.data.percent > 0 ? "Continue learning" : "Start learning"}
          </Link>
        )}
      </div>
    );
  }
  if (Number(course.price) > 0) {
    return (
      <div className="panel">
        <Link className="button" to={`/courses/${course.id}/checkout`}>
          Buy for {formatPrice(course.price)}
        </Link>
      </div>
    );
  }
  return (
    <div className="panel">
      <FormError error={join.error} />
      <button type="button" onClick={() => join.mutate()} disabled={join.isPending}>
        {join.isPending ? "Enrolling…" : "Enroll for free"}
      </button>
    </div>
  );
}
