import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError } from "../../api/client";
import { Field } from "../../components/Field";
import { Empty, ErrorState, Loading, fieldErrors } from "../../components/States";
import { formatPrice } from "../../components/format";
import { Stars } from "./CourseReviews";
import { PAGE_SIZE, catalogListKey, fetchCourses, readFilters, writeFilters, type CatalogFilters } from "./api";

const ORDERINGS = [
  { value: "", label: "Newest first" },
  { value: "title", label: "Title, A to Z" },
  { value: "price", label: "Price, low to high" },
  { value: "-price", label: "Price, high to low" },
  { value: "created_at", label: "Oldest first" },
  { value: "-rating_avg", label: "Highest rated" },
];

/** The catalog. Every filter, the sort and the page live in the URL, so a link shares the view. */
export function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const courses = useQuery({
    queryKey: catalogListKey(filters),
    queryFn: ({ signal }) => fetchCourses(filters, signal),
    placeholderData: keepPreviousData,
  });

  function update(changes: Partial<CatalogFilters>) {
    // Any change but the page itself starts again from page 1.
    setParams(writeFilters({ ...filters, page: 1, ...changes }));
  }

  // A 400 names the filter it refused (e.g. a negative price): shown next to that field.
  const filterError = courses.error instanceof ApiError && courses.error.status === 400 ? courses.error : null;
  const pages = courses.data ? Math.max(1, Math.ceil(courses.data.count / PAGE_SIZE)) : 1;

  return (
    <section>
      <h1>Course catalog</h1>
      <CatalogFilterForm key={params.toString()} filters={filters} error={filterError} onApply={update} />
      <div className="field inline-field">
        <label htmlFor="ordering">Sort by</label>
        <select id="ordering" value={filters.ordering} onChange={(e) => update({ ordering: e.target.value })}>
          {ORDERINGS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>

      {courses.isPending ? (
        <Loading label="Loading courses…" />
      ) : courses.isError && !filterError ? (
        <ErrorState error={courses.error} onRetry={() => courses.refetch()} />
      ) : courses.data && courses.data.results.length === 0 ? (
        <Empty>No course matches these filters.</Empty>
      ) : courses.data ? (
        <>
          <p className="muted" aria-live="polite">
            {courses.data.count} {courses.data.count === 1 ? "course" : "courses"}
          </p>
          <ul className="cards">
            {courses.data.results.map((course) => (
              <li key={course.id} className="card">
                <h2>
                  <Link to={`/courses/${course.id}`}>{course.title}</Link>
                </h2>
                <p className="muted">by {course.instructor_name}</p>
                <p className="price">{formatPrice(course.price)}</p>
                {course.rating_avg !== null ? (
                  <p>
                    <Stars rating={Number(course.rating_avg)} /> {Number(course.rating_avg).toFixed(1)}{" "}
                    <span className="muted">
                      ({course.rating_count} {course.rating_count === 1 ? "rating" : "ratings"})
                    </span>
                  </p>
                ) : (
                  <p className="muted">No ratings yet</p>
                )}
              </li>
            ))}
          </ul>
          <nav className="pagination" aria-label="Pages">
            <button type="button" disabled={filters.page <= 1} onClick={() => update({ page: filters.page - 1 })}>
              Previous page
            </button>
            <span>
              Page {filters.page} of {pages}
            </span>
            <button type="button" disabled={!courses.data.next} onClick={() => update({ page: filters.page + 1 })}>
              Next page
            </button>
          </nav>
        </>
      ) : null}
    </section>
  );
}

function CatalogFilterForm({
  filters,
  error,
  onApply,
}: {
  filters: CatalogFilters;
  error: ApiError | null;
  onApply: (changes: Partial<CatalogFilters>) => void;
}) {
  // A draft of the fields, applied to the URL on submit (typing does not fire a request per key).
  const [draft, setDraft] = useState(filters);

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply({
      search: draft.search.trim(),
      is_free: draft.is_free,
      min_price: draft.min_price,
      max_price: draft.max_price,
      min_rating: draft.min_rating,
    });
  }

  return (
    <form className="filters" role="search" onSubmit={submit}>
      <Field
        label="Search"
        type="search"
        value={draft.search}
        onChange={(e) => setDraft({ ...draft, search: e.target.value })}
        errors={fieldErrors(error, "search")}
      />
      <div className="field">
        <label htmlFor="is_free">Price</label>
        <select
          id="is_free"
          value={draft.is_free}
          onChange={(e) => setDraft({ ...draft, is_free: e.target.value as CatalogFilters["is_free"] })}
        >
          <option value="">Free and paid</option>
          <option value="true">Free only</option>
          <option value="false">Paid only</option>
        </select>
      </div>
      <Field
        label="Minimum price"
        type="number"
        min={0}
        step="0.01"
        inputMode="decimal"
        value={draft.min_price}
        onChange={(e) => setDraft({ ...draft, min_price: e.target.value })}
        errors={fieldErrors(error, "min_price")}
      />
      <Field
        label="Maximum price"
        type="number"
        min={0}
        step="0.01"
        inputMode="decimal"
        value={draft.max_price}
        onChange={(e) => setDraft({ ...draft, max_price: e.target.value })}
        errors={fieldErrors(error, "max_price")}
      />
      <div className="field">
        <label htmlFor="min_rating">Rating</label>
        <select
          id="min_rating"
          value={draft.min_rating}
          onChange={(e) => setDraft({ ...draft, min_rating: e.target.value })}
          aria-invalid={fieldErrors(error, "min_rating") ? true : undefined}
        >
          <option value="">Any rating</option>
          <option value="4">4 stars and up</option>
          <option value="3">3 stars and up</option>
          <option value="2">2 stars and up</option>
        </select>
      </div>
      <button type="submit">Apply filters</button>
    </form>
  );
}
