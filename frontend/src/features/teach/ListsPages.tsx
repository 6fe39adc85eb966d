// The enrollments in and payments for the instructor's courses (the API's scope: their courses'
// rows), one course's or all, paged as the admin lists are.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { formatPrice } from "../../components/format";
import { ListView, SelectField, formatDateTime } from "../../components/lists";
import { useAuth } from "../auth/AuthProvider";
import { fetchCourseChoices, fetchTeachEnrollments, fetchTeachPayments, teachKeys } from "./api";
import { usePageAndCourse } from "./parts";

function CourseFilter({ value, onChange }: { value: string; onChange: (course: string) => void }) {
  const { user } = useAuth();
  const instructor = user?.role === "admin" ? null : (user?.id ?? null);
  const choices = useQuery({
    queryKey: teachKeys.courseChoices(instructor),
    queryFn: ({ signal }) => fetchCourseChoices(instructor, signal),
  });
  const options = [
    { value: "", label: "All my courses" },
    ...(choices.data?.results ?? []).map((course) => ({ value: String(course.id), label: course.title })),
  ];
  // A course from the URL that the list does not hold (yet) still shows as chosen.
  if (value && !options.some((option) => option.value === value)) options.push({ value, label: `Course #${value}` });
  return (
    <div className="filters">
      <SelectField label="Course" value={value} options={options} onChange={onChange} />
    </div>
  );
}

export function EnrollmentsPage() {
  const { page, course, update } = usePageAndCourse();
  const enrollments = useQuery({
    queryKey: teachKeys.enrollments(course, page),
    queryFn: ({ signal }) => fetchTeachEnrollments(course, page, signal),
    placeholderData: keepPreviousData,
  });
  return (
    <section>
      <h1>Enrollments</h1>
      <CourseFilter value={course} onChange={(next) => update({ course: next })} />
      <ListView
        query={enrollments}
        page={page}
        onPage={(next) => update({ page: next })}
        noun={["enrollment", "enrollments"]}
        empty="No student is enrolled in these courses yet."
      >
        {(rows) => (
          <table className="admin-table">
            <caption className="visually-hidden">Enrollments</caption>
            <thead>
              <tr>
                <th scope="col">Student</th>
                <th scope="col">Course</th>
                <th scope="col">How</th>
                <th scope="col">Enrolled</th>
                <th scope="col">Progress</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((enrollment) => (
                <tr key={enrollment.id}>
                  <td data-label="Student">Student #{enrollment.student}</td>
                  <td data-label="Course">{enrollment.course_title}</td>
                  <td data-label="How">{enrollment.source}</td>
                  <td data-label="Enrolled">{formatDateTime(enrollment.enrolled_at)}</td>
                  <td data-label="Progress">
                    {enrollment.percent}%{enrollment.completed_at ? ` (completed ${formatDateTime(enrollment.completed_at)})` : ""}
                  </td>
                  <td data-label="Status">
                    {enrollment.is_active ? (
                      <span className="badge status-succeeded">active</span>
                    ) : (
                      <span className="badge badge-off">ended {formatDateTime(enrollment.ended_at)}</span>
                    )}
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

export function PaymentsPage() {
  const { page, course, update } = usePageAndCourse();
  const payments = useQuery({
    queryKey: teachKeys.payments(course, page),
    queryFn: ({ signal }) => fetchTeachPayments(course, page, signal),
    placeholderData: keepPreviousData,
  });
  return (
    <section>
      <h1>Payments</h1>
      <CourseFilter value={course} onChange={(next) => update({ course: next })} />
      <ListView
        query={payments}
        page={page}
        onPage={(next) => update({ page: next })}
        noun={["payment", "payments"]}
        empty="No payment for these courses yet."
      >
        {(rows) => (
          <table className="admin-table">
            <caption className="visually-hidden">Payments</caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Student</th>
                <th scope="col">Course</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((payment) => (
                <tr key={payment.id}>
                  <td data-label="Id">{payment.id}</td>
                  <td data-label="Student">Student #{payment.student}</td>
                  <td data-label="Course">{payment.course_title}</td>
                  <td data-label="Amount">{formatPrice(payment.amount, payment.currency)}</td>
                  <td data-label="Status">
                    <span className={`badge status-${payment.status}`}>{payment.status}</span>
                  </td>
                  <td data-label="Created">{formatDateTime(payment.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ListView>
    </section>
  );
}
