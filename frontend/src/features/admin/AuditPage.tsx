import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { useAuth } from "../auth/AuthProvider";
import { AUDIT_FILTERS, adminKeys, fetchAudit, type AuditRecord } from "./api";
import { FilterForm, ListView, formatDateTime, useUrlFilters, type FilterSpec } from "./parts";

const ENTITY_LABELS: Record<AuditRecord["entity"], string> = {
  payment: "Payment",
  enrollment: "Enrollment",
  certificate: "Certificate",
  review: "Review",
};

/** The append-only trail of payment, enrollment and certificate status changes. */
export function AuditPage() {
  const { user } = useAuth();
  const { filters, update, key } = useUrlFilters(AUDIT_FILTERS);
  const audit = useQuery({
    queryKey: adminKeys.audit(filters),
    queryFn: ({ signal }) => fetchAudit(filters, signal),
    placeholderData: keepPreviousData,
  });

  // The filters lms/audit offers (AuditRecordFilter), and its one ordering key.
  const specs: FilterSpec<(typeof AUDIT_FILTERS)[number]>[] = [
    {
      name: "entity",
      label: "What changed",
      kind: "select",
      options: [
        { value: "", label: "Anything" },
        ...Object.entries(ENTITY_LABELS).map(([value, label]) => ({ value, label })),
      ],
    },
    { name: "entity_id", label: "Its id", kind: "id" },
    { name: "actor", label: "Actor (user id)", kind: "id" },
    {
      name: "via",
      label: "Via",
      kind: "select",
      options: [
        { value: "", label: "Any cause" },
        { value: "api", label: "API (a user's request)" },
        { value: "webhook", label: "Stripe webhook" },
        { value: "sync", label: "Sync job" },
        { value: "system", label: "System" },
      ],
    },
    {
      name: "ordering",
      label: "Sort by",
      kind: "select",
      options: [
        { value: "", label: "Newest first" },
        { value: "created_at", label: "Oldest first" },
      ],
    },
  ];

  return (
    <section>
      <h1>Audit log</h1>
      <p className="muted">
        Every status change of a payment, an enrollment or a certificate: who or what caused it, and when.
        {user && ` Your own user id is ${user.id}.`}
      </p>
      <FilterForm key={key} label="Filter the audit log" specs={specs} filters={filters} error={audit.error} onApply={update} />
      <ListView
        query={audit}
        page={filters.page}
        onPage={(page) => update({ page })}
        noun={["record", "records"]}
        empty="No record matches these filters."
      >
        {(rows) => (
          <table className="admin-table">
            <caption className="visually-hidden">Audit records</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Change</th>
                <th scope="col">Actor</th>
                <th scope="col">Via</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((record) => (
                <tr key={record.id}>
                  <td data-label="When">{formatDateTime(record.created_at)}</td>
                  <td data-label="What">
                    <Link to={`/manage/audit?entity=${record.entity}&entity_id=${record.entity_id}`}>
                      {ENTITY_LABELS[record.entity] ?? record.entity} {record.entity_id}
                    </Link>
                  </td>
                  <td data-label="Change">
                    {record.from_status || "(new)"} → {record.to_status}
                  </td>
                  <td data-label="Actor">
                    {record.actor === null ? (
                      <span className="muted">No user</span>
                    ) : (
                      <Link to={`/manage/audit?actor=${record.actor}`}>
                        User #{record.actor}
                        {record.actor === user?.id ? " (you)" : ""}
                      </Link>
                    )}
                  </td>
                  <td data-label="Via">
                    {record.via}
                    {record.stripe_event_id && (
                      <>
                        <br />
                        <span className="muted break">{record.stripe_event_id}</span>
                      </>
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
