// Pieces every list screen uses (the admin and teaching areas): a labelled select, the list's
// loading, empty and error states with pagination, a confirmation step, and the API's error with
// its code.
import type { UseQueryResult } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { ApiError } from "../api/client";
import { Empty, ErrorState, Loading, errorMessage } from "./States";

/** The API's default page size, asked for explicitly so the page count is ours to compute. */
export const PAGE_SIZE = 20;

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  return new Date(value).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
}

/** A labelled select with the API's errors next to it (Field's twin for a <select>). */
export function SelectField({
  label,
  value,
  options,
  onChange,
  errors,
  hint,
  id,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
  errors?: string[] | undefined;
  hint?: string | undefined;
  id?: string;
}) {
  const generated = useId();
  const selectId = id ?? generated;
  const invalid = Boolean(errors && errors.length > 0);
  const described = [invalid ? `${selectId}-errors` : "", hint ? `${selectId}-hint` : ""].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      <select
        id={selectId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={described || undefined}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {hint && (
        <p id={`${selectId}-hint`} className="muted hint">
          {hint}
        </p>
      )}
      {invalid && (
        <ul id={`${selectId}-errors`} className="field-errors">
          {errors!.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface Page<T> {
  count: number;
  next?: string | null;
  results: T[];
}

/**
 * A list's states: loading, a refused filter (shown at its field by FilterForm, summarised here),
 * an error with a retry, empty, and the rows with their count and pagination.
 */
export function ListView<T>({
  query,
  page,
  onPage,
  noun,
  empty,
  children,
}: {
  query: UseQueryResult<Page<T>>;
  page: number;
  onPage: (page: number) => void;
  noun: [string, string];
  empty: string;
  children: (rows: T[]) => ReactNode;
}) {
  if (query.isPending) return <Loading label={`Loading ${noun[1]}…`} />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 400) {
      return (
        <p className="form-error" role="alert">
          The API refused these filters: see the messages next to the fields.
        </p>
      );
    }
    return (
      <>
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
        {page > 1 && (
          <button type="button" className="secondary" onClick={() => onPage(1)}>
            Go to the first page
          </button>
        )}
      </>
    );
  }
  const data = query.data;
  if (data.results.length === 0) return <Empty>{empty}</Empty>;
  const pages = Math.max(1, Math.ceil(data.count / PAGE_SIZE));
  return (
    <>
      <p className="muted" aria-live="polite">
        {data.count} {data.count === 1 ? noun[0] : noun[1]}
        {query.isFetching ? " (updating…)" : ""}
      </p>
      {children(data.results)}
      <nav className="pagination" aria-label="Pages">
        <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          Previous page
        </button>
        <span>
          Page {page} of {pages}
        </span>
        <button type="button" disabled={!data.next} onClick={() => onPage(page + 1)}>
          Next page
        </button>
      </nav>
    </>
  );
}

/** The API's refusal of an action, with its status and code, so "409 conflict" is plain to see. */
export function ActionError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {errorMessage(error)}
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

/**
 * A button that asks first: it opens a short question with a confirm and a cancel button (focus
 * moves to the confirm button; Escape or Cancel closes it and focus returns to the button).
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  pendingLabel,
  pending,
  onConfirm,
  done,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  onConfirm: () => void;
  /** Set once the action succeeded: the question closes. */
  done?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  const questionId = useId();

  useEffect(() => {
    if (done) setOpen(false);
  }, [done]);

  useEffect(() => {
    if (!open && refocus.current) {
      refocus.current = false;
      trigger.current?.focus();
    }
  }, [open]);

  function close() {
    refocus.current = true;
    setOpen(false);
  }

  if (!open) {
    return (
      <button ref={trigger} type="button" className="secondary" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  return (
    <div
      className="confirm"
      role="group"
      aria-labelledby={questionId}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !pending) close();
      }}
    >
      <p id={questionId}>{question}</p>
      <button type="button" className="danger" autoFocus disabled={pending} onClick={onConfirm}>
        {pending ? pendingLabel : confirmLabel}
      </button>
      <button type="button" className="secondary" disabled={pending} onClick={close}>
        Cancel
      </button>
    </div>
  );
}
