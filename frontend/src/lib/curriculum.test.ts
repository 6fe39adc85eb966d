import { describe, expect, it } from "vitest";
import type { LessonOutline } from "../api/types";
import { resumeLesson } from "./curriculum";

function lesson(id: number, is_completed: boolean): LessonOutline {
  return { id, title: `Lesson ${id}`, kind: "text", duration_minutes: null, is_preview: false, is_completed };
}

describe("resumeLesson", () => {
  it("starts at the first lesson when nothing is completed", () => {
    expect(resumeLesson([lesson(1, false), lesson(2, false)], null)?.id).toBe(1);
  });

  it("picks up after the lesson completed last, not at the first gap", () => {
    const lessons = [lesson(1, false), lesson(2, true), lesson(3, true), lesson(4, false), lesson(5, false)];

    expect(resumeLesson(lessons, 3)?.id).toBe(4);
  });

  it("comes round to an earlier gap when the rest is done", () => {
    const lessons = [lesson(1, false), lesson(2, true), lesson(3, true)];

    expect(resumeLesson(lessons, 3)?.id).toBe(1);
  });

  it("offers the first lesson when every lesson is done, and nothing for an empty course", () => {
    expect(resumeLesson([lesson(1, true), lesson(2, true)], 2)?.id).toBe(1);
    expect(resumeLesson([], null)).toBeUndefined();
  });
});
