// The student's payments: starting one for a course (the server sets the amount and creates the
// Stripe PaymentIntent), and listing their own. The client never enrolls anyone: the server's
// signed webhook does, and the checkout polls the enrollment until it exists.
import { api } from "../../api/client";
import type { PaymentPage, PaymentStart } from "../../api/types";
import { PAGE_SIZE } from "../../components/lists";

export const paymentKeys = {
  all: ["payments"] as const,
  start: (courseId: number) => ["payments", "start", courseId] as const,
  mine: (page: number) => ["payments", "mine", page] as const,
};

/** The open payment for this course, or a new one: its client secret and Stripe.js's key. */
export function startPayment(courseId: number): Promise<PaymentStart> {
  return api<PaymentStart>("/api/payments/", { method: "POST", body: { course: courseId } });
}


export function fetchMyPayments(page: number, signal?: AbortSignal): Promise<PaymentPage> {
  return api<PaymentPage>("/api/payments/", { query: { page: page > 1 ? page : undefined, page_size: PAGE_SIZE }, signal });
}
