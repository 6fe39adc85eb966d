// A course's reviews: the summary (average, count, distribution), the list (newest first, by
// rating), the signed-in student's own review, and the writes each role may make. A change
// invalidates the course's reviews and the course itself (its rating_avg and rating_count).
import { ApiError, api } from "../../api/client";
import type { Review, ReviewPage, ReviewSummary } from "../../api/types";

export const REVIEWS_PAGE_SIZE = 10;

export const reviewKeys = {
  course: (courseId: number) => ["reviews", courseId] as const,
  summary: (courseId: number) => ["reviews", courseId, "summary"] as const,
  list: (courseId: number, rating: string, page: number) => ["reviews", courseId, "list", rating, page] as const,
  mine: (courseId: number) => ["reviews", courseId, "mine"] as const,
};

export function fetchReviewSummary(courseId: number, signal?: AbortSignal): Promise<ReviewSummary> {
  return api<ReviewSummary>(`/api/courses/${courseId}/reviews/summary/`, { signal });
}

export function fetchReviews(courseId: number, rating: string, page: number, signal?: AbortSignal): Promise<ReviewPage> {
  return api<ReviewPage>(`/api/courses/${courseId}/reviews/`, {
    query: { rating: rating || undefined, page: page > 1 ? page : undefined, page_size: REVIEWS_PAGE_SIZE },
    signal,
  });
}

/** The signed-in student's review of the course (hidden or not), or null. */
export async function fetchMyReview(courseId: number, signal?: AbortSignal): Promise<Review | null> {
  try {
    return await api<Review>(`/api/courses/${courseId}/reviews/mine/`, { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export function createReview(courseId: number, body: { rating: number; text: string }): Promise<Review> {
  return api<Review>(`/api/courses/${courseId}/reviews/`, { method: "POST", body });
}

/** The author's rating and text, the instructor's reply, or an admin's is_hidden: one role's fields. */
export function updateReview(
  id: number,
  body: { rating?: number; text?: string } | { reply: string } | { is_hidden: boolean },
): Promise<Review> {
  return api<Review>(`/api/reviews/${id}/`, { method: "PATCH", body });
}

export function deleteReview(id: number): Promise<void> {
  return api<void>(`/api/reviews/${id}/`, { method: "DELETE" });
}
