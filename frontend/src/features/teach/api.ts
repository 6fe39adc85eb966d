// The teaching area's reads and writes, with their TanStack Query keys. The course and its
// curriculum are read through the shared queries (api/courses.ts), so a change here shows on the
// course page and in the lesson player too: mutations invalidate those keys.
import type { QueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { courseKeys } from "../../api/courses";
import type {
  Course,
  CourseChanges,
  CourseInput,
  CoursePage,
  Curriculum,
  CurriculumOrder,
  EnrollmentPage,
  Lesson,
  LessonChanges,
  LessonInput,
  PaymentPage,
  Section,
} from "../../api/types";
import { PAGE_SIZE } from "../../components/lists";

export type { Course, Curriculum, Lesson };

export const teachKeys = {
  all: ["teach"] as const,
  courses: (instructor: number | null, page: number) => ["teach", "courses", instructor, page] as const,
  /** Every course of the instructor (the enrollment and payment lists' course filter). */
  courseChoices: (instructor: number | null) => ["teach", "course-choices", instructor] as const,
  enrollments: (course: string, page: number) => ["teach", "enrollments", course, page] as const,
  payments: (course: string, page: number) => ["teach", "payments", course, page] as const,
  lesson: (id: number) => ["lessons", id] as const,
};

/** A course was saved: its detail is the answer; the catalog's and this area's lists may show it. */
export async function courseSaved(queryClient: QueryClient, course: Course): Promise<void> {
  queryClient.setQueryData(courseKeys.detail(course.id), course);
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: ["courses", "list"] }),
    queryClient.invalidateQueries({ queryKey: teachKeys.all }),
  ]);
}

const pageQuery = (page: number) => ({ page: page > 1 ? page : undefined, page_size: PAGE_SIZE });

/**
 * An instructor's own courses, drafts included (the list shows an instructor their drafts); an
 * admin (`instructor` null) sees every course.
 */
export function fetchTeachCourses(instructor: number | null, page: number, signal?: AbortSignal): Promise<CoursePage> {
  return api<CoursePage>("/api/courses/", { query: { instructor, ordering: "-created_at", ...pageQuery(page) }, signal });
}

export function fetchCourseChoices(instructor: number | null, signal?: AbortSignal): Promise<CoursePage> {
  return api<CoursePage>("/api/courses/", { query: { instructor, ordering: "title", page_size: 100 }, signal });
}

export function createCourse(body: CourseInput): Promise<Course> {
  return api<Course>("/api/courses/", { method: "POST", body });
}

export function updateCourse(id: number, body: CourseChanges): Promise<Course> {
  return api<Course>(`/api/courses/${id}/`, { method: "PATCH", body });
}

export function publishCourse(id: number, publish: boolean): Promise<Course> {
  return api<Course>(`/api/courses/${id}/${publish ? "publish" : "unpublish"}/`, { method: "POST" });
}

export function createSection(courseId: number, title: string): Promise<Section> {
  return api<Section>(`/api/courses/${courseId}/sections/`, { method: "POST", body: { title } });
}

export function renameSection(id: number, title: string): Promise<Section> {
  return api<Section>(`/api/sections/${id}/`, { method: "PATCH", body: { title } });
}

/** Deletes the section with its lessons. */
export function deleteSection(id: number): Promise<void> {
  return api<void>(`/api/sections/${id}/`, { method: "DELETE" });
}

export function createLesson(sectionId: number, body: LessonInput): Promise<Lesson> {
  return api<Lesson>(`/api/sections/${sectionId}/lessons/`, { method: "POST", body });
}

export function updateLesson(id: number, body: LessonChanges): Promise<Lesson> {
  return api<Lesson>(`/api/lessons/${id}/`, { method: "PATCH", body });
}

export function deleteLesson(id: number): Promise<void> {
  return api<void>(`/api/lessons/${id}/`, { method: "DELETE" });
}

/** Stores (or replaces) the lesson's file: multipart/form-data with `file`. */
export function uploadLessonFile(id: number, file: File): Promise<Lesson> {
  const form = new FormData();
  form.append("file", file);
  return api<Lesson>(`/api/lessons/${id}/file/`, { method: "PUT", body: form });
}

/** The whole new order at once; the answer is the curriculum as saved. */
export function saveOrder(courseId: number, body: CurriculumOrder): Promise<Curriculum> {
  return api<Curriculum>(`/api/courses/${courseId}/curriculum/order/`, { method: "PUT", body });
}

export function fetchLesson(id: number, signal?: AbortSignal): Promise<Lesson> {
  return api<Lesson>(`/api/lessons/${id}/`, { signal });
}

/** Enrollments in the instructor's courses (the API's scope), optionally one course's. */
export function fetchTeachEnrollments(course: string, page: number, signal?: AbortSignal): Promise<EnrollmentPage> {
  return api<EnrollmentPage>("/api/enrollments/", { query: { course, ...pageQuery(page) }, signal });
}

/** Payments for the instructor's courses (the API's scope), optionally one course's. */
export function fetchTeachPayments(course: string, page: number, signal?: AbortSignal): Promise<PaymentPage> {
  return api<PaymentPage>("/api/payments/", { query: { course, ...pageQuery(page) }, signal });
}
