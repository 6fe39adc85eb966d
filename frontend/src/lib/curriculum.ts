import type { Curriculum, LessonOutline } from "../api/types";

export function lessonPath(courseId: number, lessonId: number): string {
  return `/courses/${courseId}/lessons/${lessonId}`;
}

/** Every lesson of the outline, in order. */
export function flattenLessons(curriculum: Curriculum): LessonOutline[] {
  return curriculum.sections.flatMap((section) => section.lessons);
}

/**
 * Where a student picks up: the first lesson not yet completed after the one they completed
 * last (coming round to the start), or the first lesson when every one is done.
 */
export function resumeLesson(lessons: LessonOutline[], lastCompleted: number | null): LessonOutline | undefined {
  const start = lastCompleted === null ? 0 : lessons.findIndex((lesson) => lesson.id === lastCompleted) + 1;
  const inOrder = [...lessons.slice(start), ...lessons.slice(0, start)];
  return inOrder.find((lesson) => !lesson.is_completed) ?? lessons[0];
}
