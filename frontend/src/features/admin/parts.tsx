// The admin screens' filter form (its values in the URL). The list states, the confirmation step
// and the API's error with its code are shared with the teaching area (components/lists.tsx).
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { ApiError } from "../../api/client";
import { Field } from "../../components/Field";
import { ActionError, ConfirmAction, ListView, SelectField, formatDateTime } from "../../components/lists";
import { fieldErrors } from "../../components/States";
import { readFilters, writeFilters, type Filters } from "./api";

export { ActionError, ConfirmAction, ListView, SelectField, formatDateTime };

/** The list's filters from the URL, and a setter that writes them back (any change → page 1). */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params, keys);
  function update(changes: Partial<Filters<K>>) {
    setParams(writeFilters({ ...filters, page: 1, ...changes }));
  }
  return { filters, update, key: params.toString() };
}

export interface FilterSpec<K extends string> {
  name: K;
  label: string;
  /** `id` is a whole number (an object's id); `select` needs options. */
  kind: "search" | "id" | "text" | "select";
  options?: { value: string; label: string }[];
  hint?: string;
}

/** A list's filters as a form: a draft of the fields, applied to the URL on submit. */
export function FilterForm<K extends string>({
  specs,
  filters,
  error,
  onApply,
  label,
}: {
  specs: FilterSpec<K>[];
  filters: Filters<K>;
  error: unknown;
  onApply: (changes: Partial<Filters<K>>) => void;
  label: string;
}) {
  const [draft, setDraft] = useState(filters);
  const refused = error instanceof ApiError && error.status === 400 ? error : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    const changes = {} as Partial<Filters<K>>;
    for (const spec of specs) (changes as Record<string, string>)[spec.name] = draft[spec.name].trim();
    onApply(changes);
  }

  function clear() {
    const changes = {} as Partial<Filters<K>>;
    for (const spec of specs) (changes as Record<string, string>)[spec.name] = "";
    onApply(changes);
  }

  return (
    <form className="filters" role="search" aria-label={label} onSubmit={submit}>
      {specs.map((spec) =>
        spec.kind === "select" ? (
          <SelectField
            key={spec.name}
            label={spec.label}
            value={draft[spec.name]}
            options={spec.options ?? []}
            onChange={(value) => setDraft({ ...draft, [spec.name]: value })}
            errors={fieldErrors(refused, spec.name)}
            hint={spec.hint}
          />
        ) : (
          <Field
            key={spec.name}
            label={spec.label}
            type={spec.kind === "search" ? "search" : "text"}
            inputMode={spec.kind === "id" ? "numeric" : undefined}
            value={draft[spec.name]}
            onChange={(e) => setDraft({ ...draft, [spec.name]: e.target.value })}
            errors={fieldErrors(refused, spec.name)}
          />
        ),
      )}
      <div className="filter-buttons">
        <button type="submit">Apply filters</button>
        <button type="button" className="secondary" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}

