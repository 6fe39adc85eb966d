import { describe, expect, it } from "vitest";
import { canMoveLesson, canMoveSection, moveLesson, moveSection, orderBody } from "./order";

const lesson = (id: number) => ({ id, title: `L${id}` });
const outline = () => [
  { id: 1, title: "Intro", lessons: [lesson(10), lesson(11)] },
  { id: 2, title: "Middle", lessons: [] as { id: number; title: string }[] },
  { id: 3, title: "End", lessons: [lesson(30)] },
];
const ids = (sections: { id: number; lessons: { id: number }[] }[]) => orderBody(sections).sections;

describe("moveSection", () => {
  it("swaps a section with its neighbour, up or down, and leaves the input alone", () => {
    const sections = outline();
    expect(moveSection(sections, 2, "up").map((s) => s.id)).toEqual([2, 1, 3]);
    expect(moveSection(sections, 2, "down").map((s) => s.id)).toEqual([1, 3, 2]);
    expect(sections.map((s) => s.id)).toEqual([1, 2, 3]);
  });

  it("does not move the first section up, the last down, or an unknown one", () => {
    const sections = outline();
    expect(canMoveSection(sections, 1, "up")).toBe(false);
    expect(canMoveSection(sections, 3, "down")).toBe(false);
    expect(canMoveSection(sections, 99, "down")).toBe(false);
    expect(canMoveSection(sections, 1, "down")).toBe(true);
    expect(moveSection(sections, 1, "up").map((s) => s.id)).toEqual([1, 2, 3]);
    expect(moveSection(sections, 3, "down").map((s) => s.id)).toEqual([1, 2, 3]);
  });

  it("keeps each section's lessons with it", () => {
    expect(ids(moveSection(outline(), 3, "up"))).toEqual([
      { id: 1, lessons: [10, 11] },
      { id: 3, lessons: [30] },
      { id: 2, lessons: [] },
    ]);
  });
});

describe("moveLesson", () => {
  it("swaps a lesson with its neighbour inside its section", () => {
    expect(ids(moveLesson(outline(), 11, "up"))[0]).toEqual({ id: 1, lessons: [11, 10] });
    expect(ids(moveLesson(outline(), 10, "down"))[0]).toEqual({ id: 1, lessons: [11, 10] });
  });

  it("at its section's edge moves into the next section's start or the previous section's end", () => {
    expect(ids(moveLesson(outline(), 11, "down"))).toEqual([
      { id: 1, lessons: [10] },
      { id: 2, lessons: [11] },
      { id: 3, lessons: [30] },
    ]);
    expect(ids(moveLesson(outline(), 30, "up"))).toEqual([
      { id: 1, lessons: [10, 11] },
      { id: 2, lessons: [30] },
      { id: 3, lessons: [] },
    ]);
  });

  it("does not move the course's first lesson up or its last down", () => {
    const sections = outline();
    expect(canMoveLesson(sections, 10, "up")).toBe(false);
    expect(canMoveLesson(sections, 30, "down")).toBe(false);
    expect(canMoveLesson(sections, 99, "up")).toBe(false);
    expect(canMoveLesson(sections, 11, "down")).toBe(true);
    expect(ids(moveLesson(sections, 10, "up"))).toEqual(ids(outline()));
    expect(ids(moveLesson(sections, 30, "down"))).toEqual(ids(outline()));
  });

  it("never changes the input, and keeps every lesson exactly once", () => {
    const sections = outline();
    let moved = sections;
    for (const [id, direction] of [[10, "down"], [10, "down"], [10, "down"], [30, "up"], [11, "up"]] as const) {
      moved = moveLesson(moved, id, direction);
    }
    expect(ids(sections)).toEqual(ids(outline()));
    expect(moved.flatMap((s) => s.lessons.map((l) => l.id)).sort()).toEqual([10, 11, 30]);
    expect(moved[0]!.lessons[0]).toEqual({ id: 11, title: "L11" });
  });
});

describe("orderBody", () => {
  it("is every section with its lesson ids, in order, as the API takes it", () => {
    expect(orderBody(outline())).toEqual({
      sections: [
        { id: 1, lessons: [10, 11] },
        { id: 2, lessons: [] },
        { id: 3, lessons: [30] },
      ],
    });
  });
});
