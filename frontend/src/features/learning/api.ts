import { api } from "../../api/client";
import type { EnrollmentPage, Lesson } from "../../api/types";

export const learningKeys = {
  myCourses: ["enrollments", "mine"] as const,
  lesson: (id: number) => ["lessons", id] as const,
};

export function fetchMyCourses(signal?: AbortSignal): Promise<EnrollmentPage> {
  return api<EnrollmentPage>("/api/enrollments/", { query: { active: "true", page_size: 100 }, signal });
}

export function fetchLesson(id: number, signal?: AbortSignal): Promise<Lesson> {
  return api<Lesson>(`/api/lessons/${id}/`, { signal });
}

export function completeLesson(id: number): Promise<unknown> {
  return api(`/api/lessons/${id}/complete/`, { method: "POST" });
}
