// Buying a course: the server starts (or resumes) the payment and its Stripe PaymentIntent, Stripe's
// Payment Element takes the card, and Stripe.js confirms it with Stripe directly. The student is
// enrolled only by the server, when Stripe's signed webhook says the payment succeeded: this page
// then polls the enrollment until it exists. A declined card shows Stripe's message; the server then
// replaces the failed payment with a new one (a new PaymentIntent), and the student tries another card.
import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import type { Stripe } from "@stripe/stripe-js";
import { loadStripe } from "@stripe/stripe-js/pure";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { courseKeys, enrollmentKeys, fetchCourse, fetchMyEnrollment } from "../../api/courses";
import type { Course } from "../../api/types";
import { ErrorState, Loading } from "../../components/States";
import { formatPrice } from "../../components/format";
import { useAuth } from "../auth/AuthProvider";
import { paymentKeys, startPayment } from "./api";

// Stripe.js is loaded once per key, on the first checkout (the pure entry point loads nothing on import).
const stripes = new Map<string, Promise<Stripe | null>>();
function stripeFor(publishableKey: string): Promise<Stripe | null> {
  let stripe = stripes.get(publishableKey);
  if (!stripe) {
    stripe = loadStripe(publishableKey);
    stripes.set(publishableKey, stripe);
  }
  return stripe;
}

/** How long the page waits for the webhook before saying the confirmation is taking a while. */
const PATIENCE_MS = 60_000;

export function CheckoutPage() {
  const courseId = Number(useParams().courseId);
  const { user } = useAuth();
  const [params] = useSearchParams();
  const isStudent = user?.role === "student";
  // Back from a payment method that redirects (3-D Secure and the like): Stripe adds redirect_status.
  const returned = params.get("redirect_status") === "succeeded" || params.get("redirect_status") === "processing";
  const course = useQuery({ queryKey: courseKeys.detail(courseId), queryFn: ({ signal }) => fetchCourse(courseId, signal) });
  const enrollment = useQuery({
    queryKey: enrollmentKeys.forCourse(courseId),
    queryFn: ({ signal }) => fetchMyEnrollment(courseId, signal),
    enabled: isStudent,
  });

  if (!isStudent) return <p className="panel">Only students can buy courses.</p>;
  if (course.isPending || enrollment.isPending) return <Loading label="Preparing the checkout…" />;
  if (course.isError) return <ErrorState error={course.error} onRetry={() => course.refetch()} />;
  if (enrollment.isError) return <ErrorState error={enrollment.error} onRetry={() => enrollment.refetch()} />;

  return (
    <section className="checkout">
      <p>
        <Link to={`/courses/${courseId}`}>← {course.data.title}</Link>
      </p>
      <h1>Buy {course.data.title}</h1>
      {enrollment.data ? (
        <Enrolled courseId={courseId} />
      ) : returned ? (
        <WaitingForEnrollment courseId={courseId} />
      ) : (
        <Payment course={course.data} />
      )}
    </section>
  );
}

function Payment({ course }: { course: Course }) {
  const start = useQuery({
    queryKey: paymentKeys.start(course.id),
    queryFn: () => startPayment(course.id),
    // Starting a payment is a POST: asked once per visit, never again behind the student's back.
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
  const key = start.data?.publishable_key;
  const stripe = useMemo(() => (key ? stripeFor(key) : null), [key]);
  // Stripe.js comes from Stripe's servers: without them (offline, blocked), say so instead of waiting.
  const [unreachable, setUnreachable] = useState(false);
  useEffect(() => {
    stripe?.catch(() => setUnreachable(true));
  }, [stripe]);
  // Stripe's message for the last declined card; it outlives the card form, which is built anew for
  // the payment that replaces the declined one.
  const [declined, setDeclined] = useState<string | null>(null);

  if (start.isPending) return <Loading label="Starting the payment…" />;
  if (start.isError) return <ErrorState error={start.error} onRetry={() => start.refetch()} />;
  const amount = formatPrice(start.data.payment.amount, start.data.payment.currency);
  if (unreachable) {
    return (
      <p className="form-error" role="alert">
        The secure card form (Stripe.js) could not load. Check your connection and reload the page;
        nothing was charged.
      </p>
    );
  }
  if (start.isFetching) {
    // After a decline: the card form goes away with its payment, so nothing is typed into it now.
    return (
      <>
        <p className="price">{amount}</p>
        <div className="panel">
          {declined && (
            <p className="form-error" role="alert">
              {declined}
            </p>
          )}
          <Loading label="Preparing a new attempt…" />
        </div>
      </>
    );
  }
  return (
    <>
      <p className="price">{amount}</p>
      <Elements stripe={stripe} options={{ clientSecret: start.data.client_secret }} key={start.data.client_secret}>
        <PayForm
          courseId={course.id}
          amount={amount}
          declined={declined}
          onDeclined={(message) => {
            setDeclined(message);
            void start.refetch();
          }}
        />
      </Elements>
    </>
  );
}

function PayForm({
  courseId,
  amount,
  declined,
  onDeclined,
}: {
  courseId: number;
  amount: string;
  declined: string | null;
  onDeclined: (message: string) => void;
}) {
  const stripe = useStripe();
  const elements = useElements();
  const [phase, setPhase] = useState<"ready" | "paying" | "paid">("ready");
  const [error, setError] = useState<string | null>(declined);

  async function pay(event: FormEvent) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setPhase("paying");
    setError(null);
    const result = await stripe.confirmPayment({
      elements,
      redirect: "if_required",
      confirmParams: { return_url: `${window.location.origin}/courses/${courseId}/checkout` },
    });
    if (result.error) {
      // Stripe's message is written for the customer. A declined card (a card_error) failed this
      // payment: ask the server for the one that replaces it before the next try.
      const message = result.error.message ?? "The payment did not go through. Try again or use another card.";
      setError(message);
      setPhase("ready");
      if (result.error.type === "card_error") onDeclined(message);
      return;
    }
    setPhase("paid");
  }

  if (phase === "paid") return <WaitingForEnrollment courseId={courseId} />;
  return (
    <form onSubmit={pay} className="panel" aria-label="Payment">
      {stripe ? <PaymentElement /> : <Loading label="Loading the secure card form…" />}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={!stripe || !elements || phase === "paying"}>
        {phase === "paying" ? "Paying…" : `Pay ${amount}`}
      </button>
    </form>
  );
}

/** Paid: the server enrolls the student when Stripe's webhook arrives, usually within a second or two. */
function WaitingForEnrollment({ courseId }: { courseId: number }) {
  const queryClient = useQueryClient();
  const [patient, setPatient] = useState(true);
  const enrollment = useQuery({
    queryKey: enrollmentKeys.forCourse(courseId),
    queryFn: ({ signal }) => fetchMyEnrollment(courseId, signal),
    refetchInterval: (query) => (query.state.data ? false : 1000),
  });

  useEffect(() => {
    const timer = window.setTimeout(() => setPatient(false), PATIENCE_MS);
    return () => window.clearTimeout(timer);
  }, []);
  useEffect(() => {
    if (enrollment.data) void queryClient.invalidateQueries({ queryKey: paymentKeys.all });
  }, [enrollment.data, queryClient]);

  if (enrollment.data) return <Enrolled courseId={courseId} />;
  return (
    <div className="panel" role="status" aria-live="polite">
      <p>Payment received. Confirming your enrollment…</p>
      {!patient && (
        <p>
          This is taking longer than usual. Your payment is safe: the course appears in{" "}
          <Link to="/my-courses">My courses</Link> as soon as it is confirmed, and{" "}
          <Link to="/my-payments">My payments</Link> shows its status.
        </p>
      )}
    </div>
  );
}

function Enrolled({ courseId }: { courseId: number }) {
  return (
    <div className="panel" role="status">
      <p>You are enrolled in this course.</p>
      <Link className="button" to={`/courses/${courseId}`}>
        Go to the course
      </Link>
    </div>
  );
}
