import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { courseKeys, enrollmentKeys, fetchMyEnrollment } from "../../api/courses";
import type { Course, Review } from "../../api/types";
import { TextAreaField } from "../../components/Field";
import { Empty, ErrorState, FormError, Loading, fieldErrors } from "../../components/States";
import { formatDate } from "../../components/format";
import { useAuth } from "../auth/AuthProvider";
import {
  REVIEWS_PAGE_SIZE,
  createReview,
  deleteReview,
  fetchMyReview,
  fetchReviewSummary,
  fetchReviews,
  reviewKeys,
  updateReview,
} from "./reviews";

/** "★★★★☆", read out as "4 out of 5 stars". */
export function Stars({ rating }: { rating: number }) {
  const whole = Math.round(rating);
  return (
    <span className="stars" role="img" aria-label={`${rating} out of 5 stars`}>
      {"★".repeat(whole)}
      {"☆".repeat(5 - whole)}
    </span>
  );
}

/** The course page's reviews: the summary, the student's own review, and the list. */
export function CourseReviews({ course }: { course: Course }) {
  const { user } = useAuth();
  const isStudent = user?.role === "student";
  const enrollment = useQuery({
    queryKey: enrollmentKeys.forCourse(course.id),
    queryFn: ({ signal }) => fetchMyEnrollment(course.id, signal),
    enabled: isStudent,
  });
  const mine = useQuery({
    queryKey: reviewKeys.mine(course.id),
    queryFn: ({ signal }) => fetchMyReview(course.id, signal),
    enabled: isStudent,
  });

  return (
    <section aria-labelledby="reviews-heading">
      <h2 id="reviews-heading">Reviews</h2>
      <Summary courseId={course.id} />
      {isStudent && mine.data && <OwnReview review={mine.data} courseId={course.id} />}
      {isStudent && mine.data === null && enrollment.data && <ReviewForm courseId={course.id} />}
      <ReviewList course={course} />
    </section>
  );
}

function Summary({ courseId }: { courseId: number }) {
  const summary = useQuery({
    queryKey: reviewKeys.summary(courseId),
    queryFn: ({ signal }) => fetchReviewSummary(courseId, signal),
  });
  if (summary.isPending) return <Loading label="Loading the ratings…" />;
  if (summary.isError) return <ErrorState error={summary.error} onRetry={() => summary.refetch()} />;
  const { rating_avg: average, rating_count: count, distribution } = summary.data;
  if (count === 0 || average === null) return <p className="muted">No ratings yet.</p>;
  return (
    <div className="rating-summary">
      <p>
        <strong className="rating-average">{average.toFixed(1)}</strong> <Stars rating={average} />{" "}
        <span className="muted">
          ({count} {count === 1 ? "rating" : "ratings"})
        </span>
      </p>
      <ul className="distribution" aria-label="Ratings by stars">
        {[5, 4, 3, 2, 1].map((stars) => {
          const n = distribution[String(stars)] ?? 0;
          return (
            <li key={stars}>
              <span>
                {stars} {stars === 1 ? "star" : "stars"}
              </span>
              <span className="bar" aria-hidden="true">
                <span style={{ width: `${Math.round((n / count) * 100)}%` }} />
              </span>
              <span>{n}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function useReviewChanged(courseId: number) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: reviewKeys.course(courseId) });
    void queryClient.invalidateQueries({ queryKey: courseKeys.detail(courseId) });
    void queryClient.invalidateQueries({ queryKey: ["courses", "list"] });
  };
}

/** Writing a review, or editing one's own (`review` given). */
function ReviewForm({ courseId, review, onDone }: { courseId: number; review?: Review; onDone?: () => void }) {
  const changed = useReviewChanged(courseId);
  const [rating, setRating] = useState<number | null>(review?.rating ?? null);
  const [text, setText] = useState(review?.text ?? "");
  const save = useMutation({
    mutationFn: () =>
      review ? updateReview(review.id, { rating: rating ?? 0, text }) : createReview(courseId, { rating: rating ?? 0, text }),
    onSuccess: () => {
      changed();
      onDone?.();
    },
  });
  const ratingErrors = fieldErrors(save.error, "rating");
  const textErrors = fieldErrors(save.error, "text");

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form className="panel review-form" onSubmit={submit} aria-label={review ? "Edit your review" : "Write a review"}>
      <h3>{review ? "Edit your review" : "Rate this course"}</h3>
      <fieldset aria-invalid={ratingErrors ? true : undefined}>
        <legend>Your rating</legend>
        {[1, 2, 3, 4, 5].map((stars) => (
          <label key={stars} className="rating-choice">
            <input type="radio" name="rating" value={stars} checked={rating === stars} onChange={() => setRating(stars)} />
            {stars} {stars === 1 ? "star" : "stars"}
          </label>
        ))}
        {ratingErrors && (
          <ul className="field-errors">
            {ratingErrors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        )}
      </fieldset>
      <TextAreaField
        label="Your review (optional)"
        rows={4}
        maxLength={5000}
        value={text}
        onChange={(event) => setText(event.target.value)}
        errors={textErrors}
      />
      {!ratingErrors && !textErrors && <FormError error={save.error} />}
      <button type="submit" disabled={save.isPending || rating === null}>
        {save.isPending ? "Saving…" : review ? "Save review" : "Post review"}
      </button>
      {onDone && (
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      )}
    </form>
  );
}

function OwnReview({ review, courseId }: { review: Review; courseId: number }) {
  const changed = useReviewChanged(courseId);
  const [editing, setEditing] = useState(false);
  const remove = useMutation({ mutationFn: () => deleteReview(review.id), onSuccess: changed });

  if (editing) return <ReviewForm courseId={courseId} review={review} onDone={() => setEditing(false)} />;
  return (
    <div className="panel">
      <h3>Your review</h3>
      <p>
        <Stars rating={review.rating} />
      </p>
      {review.text && <p className="review-text">{review.text}</p>}
      {review.is_hidden && (
        <p className="muted">An admin has hidden this review: others do not see it, and it cannot be deleted.</p>
      )}
      <FormError error={remove.error} />
      <button type="button" onClick={() => setEditing(true)}>
        Edit your review
      </button>{" "}
      {!review.is_hidden && (
        <button type="button" className="secondary" onClick={() => remove.mutate()} disabled={remove.isPending}>
          Delete your review
        </button>
      )}
    </div>
  );
}

const RATING_FILTERS = [
  { value: "", label: "All ratings" },
  { value: "5", label: "5 stars" },
  { value: "4", label: "4 stars" },
  { value: "3", label: "3 stars" },
  { value: "2", label: "2 stars" },
  { value: "1", label: "1 star" },
];

function ReviewList({ course }: { course: Course }) {
  const [rating, setRating] = useState("");
  const [page, setPage] = useState(1);
  const filterId = useId();
  const reviews = useQuery({
    queryKey: reviewKeys.list(course.id, rating, page),
    queryFn: ({ signal }) => fetchReviews(course.id, rating, page, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <div className="field inline-field">
        <label htmlFor={filterId}>Show</label>
        <select
          id={filterId}
          value={rating}
          onChange={(event) => {
            setRating(event.target.value);
            setPage(1);
          }}
        >
          {RATING_FILTERS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      {reviews.isPending ? (
        <Loading label="Loading the reviews…" />
      ) : reviews.isError ? (
        <ErrorState error={reviews.error} onRetry={() => reviews.refetch()} />
      ) : reviews.data.results.length === 0 ? (
        <Empty>{rating ? "No review gives this rating." : "No reviews yet."}</Empty>
      ) : (
        <>
          <ul className="reviews">
            {reviews.data.results.map((review) => (
              <ReviewItem key={review.id} review={review} course={course} />
            ))}
          </ul>
          {reviews.data.count > REVIEWS_PAGE_SIZE && (
            <nav className="pagination" aria-label="Review pages">
              <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                Previous reviews
              </button>
              <span>
                Page {page} of {Math.ceil(reviews.data.count / REVIEWS_PAGE_SIZE)}
              </span>
              <button type="button" disabled={!reviews.data.next} onClick={() => setPage(page + 1)}>
                More reviews
              </button>
            </nav>
          )}
        </>
      )}
    </>
  );
}

function ReviewItem({ review, course }: { review: Review; course: Course }) {
  const { user } = useAuth();
  const isInstructor = user?.id === course.instructor;
  const isAdmin = user?.role === "admin";
  return (
    <li className="review" aria-label={`Review by ${review.student_name}`}>
      <p>
        <Stars rating={review.rating} /> <strong>{review.student_name}</strong>{" "}
        <span className="muted">{formatDate(review.created_at)}</span>
        {!review.is_current_student && <span className="badge">Not a current student</span>}
      </p>
      {review.text && <p className="review-text">{review.text}</p>}
      {review.reply && !isInstructor && (
        <blockquote className="review-reply">
          <p>
            <strong>Reply from {course.instructor_name}</strong>
          </p>
          <p>{review.reply}</p>
        </blockquote>
      )}
      {isInstructor && <ReplyForm review={review} courseId={course.id} />}
      {isAdmin && <HideButton review={review} courseId={course.id} />}
    </li>
  );
}

/** The instructor's one public reply: written, edited, or removed (saved empty). */
function ReplyForm({ review, courseId }: { review: Review; courseId: number }) {
  const changed = useReviewChanged(courseId);
  const [open, setOpen] = useState(false);
  const [reply, setReply] = useState(review.reply);
  const save = useMutation({
    mutationFn: () => updateReview(review.id, { reply }),
    onSuccess: () => {
      changed();
      setOpen(false);
    },
  });

  if (!open) {
    return (
      <>
        {review.reply && (
          <blockquote className="review-reply">
            <p>
              <strong>Your reply</strong>
            </p>
            <p>{review.reply}</p>
          </blockquote>
        )}
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          {review.reply ? `Edit your reply to ${review.student_name}` : `Reply to ${review.student_name}`}
        </button>
      </>
    );
  }
  const errors = fieldErrors(save.error, "reply");
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <TextAreaField
        label={`Your public reply to ${review.student_name}`}
        rows={3}
        maxLength={5000}
        value={reply}
        onChange={(event) => setReply(event.target.value)}
        errors={errors}
      />
      {!errors && <FormError error={save.error} />}
      <button type="submit" disabled={save.isPending}>
        Save reply
      </button>{" "}
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

function HideButton({ review, courseId }: { review: Review; courseId: number }) {
  const changed = useReviewChanged(courseId);
  const hide = useMutation({ mutationFn: () => updateReview(review.id, { is_hidden: true }), onSuccess: changed });
  return (
    <>
      <FormError error={hide.error} />
      <button type="button" className="secondary" onClick={() => hide.mutate()} disabled={hide.isPending}>
        Hide the review by {review.student_name}
      </button>
    </>
  );
}
