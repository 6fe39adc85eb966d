// The curriculum editor's reordering, as pure functions of the outline: each returns a new list
// (the input is never changed), and `orderBody` turns it into the body of
// PUT /api/courses/{id}/curriculum/order/ (every section and lesson exactly once).
import type { CurriculumOrder } from "../../api/types";

export type Direction = "up" | "down";

interface OrderedSection<L extends { id: number }> {
  id: number;
  lessons: L[];
}

const step = (direction: Direction) => (direction === "up" ? -1 : 1);

/** Whether the section can move that way (not the first up, not the last down). */
export function canMoveSection(sections: readonly { id: number }[], sectionId: number, direction: Direction): boolean {
  const index = sections.findIndex((section) => section.id === sectionId);
  if (index < 0) return false;
  const target = index + step(direction);
  return target >= 0 && target < sections.length;
}

/** The sections with one swapped with its neighbour; unchanged when it cannot move. */
export function moveSection<S extends { id: number }>(sections: readonly S[], sectionId: number, direction: Direction): S[] {
  const result = [...sections];
  if (!canMoveSection(sections, sectionId, direction)) return result;
  const index = result.findIndex((section) => section.id === sectionId);
  const target = index + step(direction);
  [result[index], result[target]] = [result[target]!, result[index]!];
  return result;
}

function findLesson(sections: readonly OrderedSection<{ id: number }>[], lessonId: number) {
  for (let s = 0; s < sections.length; s++) {
    const l = sections[s]!.lessons.findIndex((lesson) => lesson.id === lessonId);
    if (l >= 0) return { s, l };
  }
  return null;
}

/**
 * Whether the lesson can move that way: within its section, or across into the neighbouring
 * section (so only the course's very first lesson cannot go up, and its very last cannot go down).
 */
export function canMoveLesson(sections: readonly OrderedSection<{ id: number }>[], lessonId: number, direction: Direction): boolean {
  const found = findLesson(sections, lessonId);
  if (!found) return false;
  const { s, l } = found;
  if (direction === "up") return l > 0 || s > 0;
  return l < sections[s]!.lessons.length - 1 || s < sections.length - 1;
}

/**
 * The sections with the lesson moved one place: swapped with its neighbour inside its section,
 * or, at the section's edge, to the end of the section before (up) or the start of the one after
 * (down). Unchanged when it cannot move.
 */
export function moveLesson<L extends { id: number }, S extends OrderedSection<L>>(
  sections: readonly S[],
  lessonId: number,
  direction: Direction,
): S[] {
  const result = sections.map((section) => ({ ...section, lessons: [...section.lessons] }));
  const found = findLesson(sections, lessonId);
  if (!found || !canMoveLesson(sections, lessonId, direction)) return result;
  const { s, l } = found;
  const lessons = result[s]!.lessons;
  const target = l + step(direction);
  if (target >= 0 && target < lessons.length) {
    [lessons[l], lessons[target]] = [lessons[target]!, lessons[l]!];
    return result;
  }
  const [lesson] = lessons.splice(l, 1);
  if (direction === "up") result[s - 1]!.lessons.push(lesson!);
  else result[s + 1]!.lessons.unshift(lesson!);
  return result;
}

/** The whole order as the API takes it: `{sections: [{id, lessons: [ids]}]}`. */
export function orderBody(sections: readonly OrderedSection<{ id: number }>[]): CurriculumOrder {
  return { sections: sections.map((section) => ({ id: section.id, lessons: section.lessons.map((lesson) => lesson.id) })) };
}
