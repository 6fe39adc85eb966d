import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import type { Payment, PaymentStatus } from "../../api/types";
import { formatDate, formatPrice } from "../../components/format";
import { ListView } from "../../components/lists";
import { fetchMyPayments, paymentKeys } from "./api";

const STATUS_TEXT: Record<PaymentStatus, string> = {
  pending: "Waiting for confirmation",
  succeeded: "Paid",
  failed: "Declined",
  canceled: "Canceled",
  refunded: "Refunded",
};

/** The student's own payments, newest first: what they paid, for which course, and where it stands. */
export function MyPaymentsPage() {
  const [page, setPage] = useState(1);
  const payments = useQuery({
    queryKey: paymentKeys.mine(page),
    queryFn: ({ signal }) => fetchMyPayments(page, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <section>
      <h1>My payments</h1>
      <ListView
        query={payments}
        page={page}
        onPage={setPage}
        noun={["payment", "payments"]}
        empty="You have not paid for any course yet."
      >
        {(rows) => (
          <table className="admin-table">
            <caption className="visually-hidden">My payments</caption>
            <thead>
              <tr>
                <th scope="col">Course</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
                <th scope="col">Date</th>
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
  return (
    <tr>
      <td data-label="Course">
        <Link to={`/courses/${payment.course}`}>{payment.course_title}</Link>
      </td>
      <td data-label="Amount">{formatPrice(payment.amount, payment.currency)}</td>
      <td data-label="Status">
        <span className={`badge status-${payment.status}`}>{STATUS_TEXT[payment.status]}</span>
      </td>
      <td data-label="Date">{formatDate(payment.created_at)}</td>
    </tr>
  );
}
