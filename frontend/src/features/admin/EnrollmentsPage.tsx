import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { Field } from "../../components/Field";
import { fieldErrors } from "../../components/States";
import {
  ENROLLMENT_FILTERS,
  PAGE_SIZE,
  adminKeys,
  endEnrollment,
  fetchEnrollments,
  grantEnrollment,
  searchCourses,
  searchStudents,
  type Enrollment,
} from "./api";
import {
  ActionError,
  ConfirmAction,
  FilterForm,
  ListView,
  SelectField,
  formatDateTime,
  useUrlFilters,
  type FilterSpec,
} from "./parts";

const SPECS: FilterSpec<(typeof ENROLLMENT_FILTERS)[number]>[] = [
  { name: "student", label: "Student id", kind: "id" },
  { name: "course", label: "Course id", kind: "id" },
  {
    name: "active",
    label: "Status",
    kind: "select",
    options: [
      { value: "", label: "Active and ended" },
      { value: "true", label: "Active" },
      { value: "false", label: "Ended" },
    ],
  },
  {
    name: "ordering",
    label: "Sort by",
    kind: "select",
    options: [
      { value: "", label: "Newest first" },
      { value: "enrolled_at", label: "Oldest first" },
    ],
  },
];

const SOURCES: Record<string, string> = { free: "Free", payment: "Payment", admin: "Granted by an admin" };

/** Every enrollment, filterable; an admin grants one (complimentary) or ends one. */
export function EnrollmentsPage() {
  const { filters, update, key } = useUrlFilters(ENROLLMENT_FILTERS);
  const enrollments = useQuery({
    queryKey: adminKeys.enrollments(filters),
    queryFn: ({ signal }) => fetchEnrollments(filters, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <section>
      <h1>Enrollments</h1>
      <GrantForm />
      <h2>All enrollments</h2>
      <FilterForm key={key} label="Filter enrollments" specs={SPECS} filters={filters} error={enrollments.error} onApply={update} />
      <ListView
        query={enrollments}
        page={filters.page}
        onPage={(page) => update({ page })}
        noun={["enrollment", "enrollments"]}
        empty="No enrollment matches these filters."
      >
        {(rows) => (
          <table className="admin-table">
            <caption className="visually-hidden">Enrollments</caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Student</th>
                <th scope="col">Course</th>
                <th scope="col">Source</th>
                <th scope="col">Enrolled</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((enrollment) => (
                <EnrollmentRow key={enrollment.id} enrollment={enrollment} />
              ))}
            </tbody>
          </table>
        )}
      </ListView>
    </section>
  );
}

function EnrollmentRow({ enrollment }: { enrollment: Enrollment }) {
  const queryClient = useQueryClient();
  const end = useMutation({
    mutationFn: () => endEnrollment(enrollment.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKeys.all }),
  });
  const name = `enrollment ${enrollment.id}`;

  return (
    <tr>
      <td data-label="Id">{enrollment.id}</td>
      <td data-label="Student">
        <Link to={`/manage/enrollments?student=${enrollment.student}`}>Student #{enrollment.student}</Link>
      </td>
      <td data-label="Course">
        {enrollment.course_title} <span className="muted">#{enrollment.course}</span>
      </td>
      <td data-label="Source">{SOURCES[enrollment.source] ?? enrollment.source}</td>
      <td data-label="Enrolled">{formatDateTime(enrollment.enrolled_at)}</td>
      <td data-label="Status">
        {enrollment.is_active ? (
          <span className="badge badge-done">Active</span>
        ) : (
          <span className="badge badge-off">Ended {formatDateTime(enrollment.ended_at)}</span>
        )}
      </td>
      <td data-label="Progress">{enrollment.percent}%</td>
      <td data-label="Actions">
        <div className="row-actions">
          {enrollment.is_active && (
            <ConfirmAction
              label={`End ${name}`}
              question={`End the enrollment of student #${enrollment.student} in “${enrollment.course_title}”? They lose access to its lessons at once (a payment is not refunded).`}
              confirmLabel="Yes, end it"
              pendingLabel="Ending…"
              pending={end.isPending}
              done={end.isSuccess}
              onConfirm={() => end.mutate()}
            />
          )}
          <Link to={`/manage/audit?entity=enrollment&entity_id=${enrollment.id}`} aria-label={`History of ${name}`}>
            History
          </Link>
        </div>
        {end.isSuccess && (
          <p role="status" className="ok">
            Ended.
          </p>
        )}
        <ActionError error={end.error} />
      </td>
    </tr>
  );
}

/** The search term, once typing has paused: one request per pause, not per key. */
function useDebounced(value: string, delay = 300): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/** Grant: pick an active student and a course by searching; the API checks both and says why not. */
function GrantForm() {
  const queryClient = useQueryClient();
  const [studentSearch, setStudentSearch] = useState("");
  const [courseSearch, setCourseSearch] = useState("");
  // The chosen option, kept whole: a later search that no longer lists it does not lose it.
  const [student, setStudent] = useState<Option | null>(null);
  const [course, setCourse] = useState<Option | null>(null);
  const studentTerm = useDebounced(studentSearch.trim());
  const courseTerm = useDebounced(courseSearch.trim());
  const students = useQuery({
    queryKey: adminKeys.pickStudents(studentTerm),
    queryFn: ({ signal }) => searchStudents(studentTerm, signal),
    placeholderData: keepPreviousData,
  });
  const courses = useQuery({
    queryKey: adminKeys.pickCourses(courseTerm),
    queryFn: ({ signal }) => searchCourses(courseTerm, signal),
    placeholderData: keepPreviousData,
  });
  const grant = useMutation({
    // The chosen options are the mutation's variables, so the success message names who was enrolled.
    mutationFn: (chosen: { student: Option | null; course: Option | null }) =>
      grantEnrollment({
        student: chosen.student ? Number(chosen.student.value) : undefined,
        course: chosen.course ? Number(chosen.course.value) : undefined,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKeys.all }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    grant.mutate({ student, course });
  }

  const studentOptions = pickOptions(
    students.isPending ? "Loading students…" : pickLabel(students.data?.count, "student"),
    student,
    (students.data?.results ?? []).map((s) => ({ value: String(s.id), label: `${s.username} (${s.email}), #${s.id}` })),
  );
  const courseOptions = pickOptions(
    courses.isPending ? "Loading courses…" : pickLabel(courses.data?.count, "course"),
    course,
    (courses.data?.results ?? []).map((c) => ({
      value: String(c.id),
      label: `${c.title}${c.status === "draft" ? " (draft)" : ""}, #${c.id}`,
    })),
  );

  return (
    <form className="panel grant-form" aria-labelledby="grant-heading" onSubmit={submit} noValidate>
      <h2 id="grant-heading">Grant an enrollment</h2>
      <p className="muted">A complimentary enrollment: the student gets the course without paying.</p>
      <ActionError error={grant.error} />
      {grant.isSuccess && (
        <p role="status" className="ok">
          Enrolled {grant.variables.student?.label ?? `student #${grant.data.student}`} in “{grant.data.course_title}”
          (enrollment {grant.data.id}).
        </p>
      )}
      <div className="grant-fields">
        <div>
          <Field
            label="Find a student"
            type="search"
            value={studentSearch}
            onChange={(e) => setStudentSearch(e.target.value)}
            placeholder="Username or email"
          />
          <SelectField
            label="Student"
            value={student?.value ?? ""}
            options={studentOptions}
            onChange={(value) => setStudent(studentOptions.find((o) => o.value === value && value) ?? null)}
            errors={fieldErrors(grant.error, "student")}
          />
          {students.isError && <ActionError error={students.error} />}
        </div>
        <div>
          <Field
            label="Find a course"
            type="search"
            value={courseSearch}
            onChange={(e) => setCourseSearch(e.target.value)}
            placeholder="Words in the title"
          />
          <SelectField
            label="Course"
            value={course?.value ?? ""}
            options={courseOptions}
            onChange={(value) => setCourse(courseOptions.find((o) => o.value === value && value) ?? null)}
            errors={fieldErrors(grant.error, "course")}
          />
          {courses.isError && <ActionError error={courses.error} />}
        </div>
      </div>
      <button type="submit" disabled={grant.isPending}>
        {grant.isPending ? "Granting…" : "Grant enrollment"}
      </button>
    </form>
  );
}

interface Option {
  value: string;
  label: string;
}

/** The placeholder, the chosen option (even when this search does not list it), then the matches. */
function pickOptions(placeholder: string, chosen: Option | null, matches: Option[]): Option[] {
  // A chosen option the matches list stays where it is (arrow keys on a select must not reorder it).
  const missing = chosen && !matches.some((option) => option.value === chosen.value) ? [chosen] : [];
  return [{ value: "", label: placeholder }, ...missing, ...matches];
}

function pickLabel(count: number | undefined, noun: string): string {
  if (count === undefined) return `Choose a ${noun}`;
  if (count === 0) return `No ${noun} matches`;
  return count > PAGE_SIZE ? `Choose a ${noun} (first ${PAGE_SIZE} of ${count}; search to narrow)` : `Choose a ${noun}`;
}
