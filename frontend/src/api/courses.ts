// Reads and writes about one course that several areas share (the course page, the lesson
// player, my courses), with their TanStack Query keys. A mutation invalidates the keys it changes.
import { api } from "./client";
import type { Course, Curriculum, Enrollment, EnrollmentPage, Progress } from "./types";

export const courseKeys = {
  detail: (id: number) => ["courses", "detail", id] as const,
  curriculum: (id: number) => ["courses", "curriculum", id] as const,
};

export function fetchCourse(id: number, signal?: AbortSignal): Promise<Course> {
  return api<Course>(`/api/courses/${id}/`, { signal });
}

export function fetchCurriculum(id: number, signal?: AbortSignal): Promise<Curriculum> {
  return api<Curriculum>(`/api/courses/${id}/curriculum/`, { signal });
}

export const enrollmentKeys = {
  all: ["enrollments"] as const,
  forCourse: (courseId: number) => ["enrollments", "course", courseId] as const,
  progress: (enrollmentId: number) => ["enrollments", "progress", enrollmentId] as const,
};

/** The signed-in student's active enrollment in a course, or null. */
export async function fetchMyEnrollment(courseId: number, signal?: AbortSignal): Promise<Enrollment | null> {
  const page = await api<EnrollmentPage>("/api/enrollments/", { query: { course: courseId, active: "true" }, signal });
  return page.results[0] ?? null;
}

export function enroll(courseId: number): Promise<Enrollment> {
  return api<Enrollment>("/api/enrollments/", { method: "POST", body: { course: courseId } });
}

export function fetchProgress(enrollmentId: number, signal?: AbortSignal): Promise<Progress> {
  return api<Progress>(`/api/enrollments/${enrollmentId}/progress/`, { signal });
}
