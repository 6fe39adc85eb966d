// Small pieces the teaching screens share.
import { useSearchParams } from "react-router";
import { ApiError } from "../../api/client";
import { errorMessage } from "../../components/States";

/** The list's page and course filter from the URL (`?course=3&page=2`), and their setters. */
export function usePageAndCourse() {
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get("page") ?? "1");
  const page = Number.isInteger(raw) && raw > 0 ? raw : 1;
  const course = params.get("course") ?? "";
  function update(changes: { page?: number; course?: string }) {
    const next = new URLSearchParams();
    const nextCourse = changes.course ?? course;
    const nextPage = changes.course !== undefined ? 1 : (changes.page ?? page);
    if (nextCourse) next.set("course", nextCourse);
    if (nextPage > 1) next.set("page", String(nextPage));
    setParams(next);
  }
  return { page, course, update };
}

/**
 * An action's refusal with its status and code. A 400 that names no form field (publishing a
 * course without lessons answers `{"status": [...]}`) shows its messages themselves.
 */
export function Refusal({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  if (!error) return null;
  let message = errorMessage(error);
  if (error instanceof ApiError && error.status === 400) {
    const other = Object.entries(error.fieldErrors)
      .filter(([field]) => !fields.includes(field) && field !== "non_field_errors")
      .flatMap(([, messages]) => messages);
    const general = error.fieldErrors.non_field_errors ?? [];
    if (general.length || other.length) message = [...general, ...other].join(" ");
  }
  return (
    <p className="form-error" role="alert">
      {message}
      {error instanceof ApiError && (
        <>
          {" "}
          <span className="error-code">
            (HTTP {error.status}
            {error.code ? `, ${error.code}` : ""})
          </span>
        </>
      )}
    </p>
  );
}
