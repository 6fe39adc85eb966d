import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { formatPrice } from "../../components/format";
import { PAYMENT_FILTERS, adminKeys, fetchPayments, refundPayment, type Payment, type PaymentStatus } from "./api";
import { ActionError, ConfirmAction, FilterForm, ListView, formatDateTime, useUrlFilters, type FilterSpec } from "./parts";

const STATUSES: { value: PaymentStatus; label: string }[] = [
  { value: "pending", label: "Pending" },
  { value: "succeeded", label: "Succeeded" },
  { value: "failed", label: "Failed" },
  { value: "canceled", label: "Canceled" },
  { value: "refunded", label: "Refunded" },
];

const SPECS: FilterSpec<(typeof PAYMENT_FILTERS)[number]>[] = [
  { name: "student", label: "Student id", kind: "id" },
  { name: "course", label: "Course id", kind: "id" },
  { name: "status", label: "Status", kind: "select", options: [{ value: "", label: "Any status" }, ...STATUSES] },
  {
    name: "ordering",
    label: "Sort by",
    kind: "select",
    options: [
      { value: "", label: "Newest first" },
      { value: "created_at", label: "Oldest first" },
      { value: "-amount", label: "Amount, high to low" },
      { value: "amount", label: "Amount, low to high" },
    ],
  },
];

/** Every payment, filterable; a succeeded one can be refunded (after a confirmation). */
export function PaymentsPage() {
  const { filters, update, key } = useUrlFilters(PAYMENT_FILTERS);
  const payments = useQuery({
    queryKey: adminKeys.payments(filters),
    queryFn: ({ signal }) => fetchPayments(filters, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <section>
      <h1>Payments</h1>
      <FilterForm key={key} label="Filter payments" specs={SPECS} filters={filters} error={payments.error} onApply={update} />
      <ListView
        query={payments}
        page={filters.page}
        onPage={(page) => update({ page })}
        noun={["payment", "payments"]}
        empty="No payment matches these filters."
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
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((payment) => (
                <PaymentRow key={payment.id} payment={payment} />
              ))}
            </tbody>
          </table>
        )}
      </ListView>
    </section>
  );
}

function PaymentRow({ payment }: { payment: Payment }) {
  const queryClient = useQueryClient();
  const refund = useMutation({
    mutationFn: () => refundPayment(payment.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKeys.all }),
  });
  const amount = formatPrice(payment.amount, payment.currency);

  return (
    <tr>
      <td data-label="Id">{payment.id}</td>
      <td data-label="Student">
        <Link to={`/manage/payments?student=${payment.student}`}>Student #{payment.student}</Link>
      </td>
      <td data-label="Course">
        {payment.course_title} <span className="muted">#{payment.course}</span>
      </td>
      <td data-label="Amount">{amount}</td>
      <td data-label="Status">
        <span className={`badge status-${payment.status}`}>{payment.status}</span>
      </td>
      <td data-label="Created">{formatDateTime(payment.created_at)}</td>
      <td data-label="Actions">
        <div className="row-actions">
          {payment.status === "succeeded" && (
            <ConfirmAction
              label={`Refund payment ${payment.id}`}
              question={`Refund ${amount} for “${payment.course_title}” to student #${payment.student}? The whole amount goes back, and their enrollment ends at once.`}
              confirmLabel="Yes, refund"
              pendingLabel="Refunding…"
              pending={refund.isPending}
              done={refund.isSuccess}
              onConfirm={() => refund.mutate()}
            />
          )}
          <Link to={`/manage/audit?entity=payment&entity_id=${payment.id}`} aria-label={`History of payment ${payment.id}`}>
            History
          </Link>
        </div>
        {refund.isSuccess && (
          <p role="status" className="ok">
            Refunded.
          </p>
        )}
        <ActionError error={refund.error} />
      </td>
    </tr>
  );
}
