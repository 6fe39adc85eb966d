// The course's sections and lessons: add, rename, delete, and reorder with "Move up"/"Move down"
// buttons. A move shows at once and saves the whole order (PUT .../curriculum/order/); the
// answer, the order as saved, replaces it (a refusal reloads the saved order and says why).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { courseKeys, fetchCurriculum } from "../../api/courses";
import type { Curriculum, LessonOutline, SectionOutline } from "../../api/types";
import { Field } from "../../components/Field";
import { ConfirmAction } from "../../components/lists";
import { Empty, ErrorState, Loading, fieldErrors } from "../../components/States";
import { createLesson, createSection, deleteLesson, deleteSection, renameSection, saveOrder, updateLesson } from "./api";
import { canMoveLesson, canMoveSection, moveLesson, moveSection, orderBody, type Direction } from "./order";
import { Refusal } from "./parts";

const KIND_LABELS = { text: "Text", video: "Video", file: "File" } as const;

export function CurriculumEditor({ courseId }: { courseId: number }) {
  const queryClient = useQueryClient();
  const key = courseKeys.curriculum(courseId);
  const curriculum = useQuery({ queryKey: key, queryFn: ({ signal }) => fetchCurriculum(courseId, signal) });
  const container = useRef<HTMLDivElement>(null);
  const [focusAfterMove, setFocusAfterMove] = useState<string | null>(null);
  // Moves can follow one another faster than the saves: only the latest save's answer is shown.
  const latestSave = useRef(0);

  const order = useMutation({
    mutationFn: ({ sections }: { sections: SectionOutline[]; save: number }) => saveOrder(courseId, orderBody(sections)),
    onSuccess: (saved, { save }) => {
      if (save === latestSave.current) queryClient.setQueryData(key, saved);
    },
    onError: () => queryClient.invalidateQueries({ queryKey: key }),
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: key });

  // The moved item's button keeps the focus (React may have moved its element in the page); at
  // the top or the bottom, where that button is disabled, its other button takes it.
  useEffect(() => {
    if (!focusAfterMove || !container.current) return;
    const [item, direction] = focusAfterMove.split(":");
    const other = direction === "up" ? "down" : "up";
    const pressed = container.current.querySelector<HTMLButtonElement>(`[data-move="${item}:${direction}"]`);
    const fallback = container.current.querySelector<HTMLButtonElement>(`[data-move="${item}:${other}"]`);
    (pressed && !pressed.disabled ? pressed : fallback)?.focus();
    setFocusAfterMove(null);
  }, [focusAfterMove]);

  function applyMove(sections: SectionOutline[], item: string, direction: Direction) {
    const current = queryClient.getQueryData<Curriculum>(key);
    if (!current) return;
    queryClient.setQueryData<Curriculum>(key, { ...current, sections });
    latestSave.current += 1;
    order.mutate({ sections, save: latestSave.current });
    setFocusAfterMove(`${item}:${direction}`);
  }

  return (
    <div ref={container} className="curriculum-editor">
      <h2>Curriculum</h2>
      {curriculum.isPending ? (
        <Loading label="Loading the curriculum…" />
      ) : curriculum.isError ? (
        <ErrorState error={curriculum.error} onRetry={() => curriculum.refetch()} />
      ) : (
        <>
          <Refusal error={order.error} />
          <p className="muted" aria-live="polite">
            {order.isPending ? "Saving the order…" : order.isSuccess ? "Order saved." : ""}
          </p>
          {curriculum.data.sections.length === 0 ? (
            <Empty>No section yet: add the first one below, then its lessons.</Empty>
          ) : (
            <ol className="curriculum-sections">
              {curriculum.data.sections.map((section, index) => {
                const sections = curriculum.data.sections;
                return (
                  <li key={section.id} className="curriculum-section">
                    <div className="item-head">
                      <h3>
                        <span className="muted">{index + 1}.</span> {section.title}
                      </h3>
                      <MoveButtons
                        item={`section-${section.id}`}
                        name={section.title}
                        canUp={canMoveSection(sections, section.id, "up")}
                        canDown={canMoveSection(sections, section.id, "down")}
                        onMove={(direction) =>
                          applyMove(moveSection(sections, section.id, direction), `section-${section.id}`, direction)
                        }
                      />
                    </div>
                    <div className="row-actions">
                      <RenameControl name={section.title} onSave={(title) => renameSection(section.id, title)} onDone={refresh} />
                      <DeleteControl
                        name={section.title}
                        question={`Delete the section “${section.title}” with its ${section.lessons.length} lesson${section.lessons.length === 1 ? "" : "s"}? Students' completions of them stop counting.`}
                        onDelete={() => deleteSection(section.id)}
                        onDone={refresh}
                      />
                    </div>
                    {section.lessons.length === 0 ? (
                      <p className="muted">No lesson in this section yet.</p>
                    ) : (
                      <ol className="curriculum-lessons">
                        {section.lessons.map((lesson) => (
                          <LessonItem
                            key={lesson.id}
                            lesson={lesson}
                            canUp={canMoveLesson(sections, lesson.id, "up")}
                            canDown={canMoveLesson(sections, lesson.id, "down")}
                            onMove={(direction) =>
                              applyMove(moveLesson(sections, lesson.id, direction), `lesson-${lesson.id}`, direction)
                            }
                            onDone={refresh}
                          />
                        ))}
                      </ol>
                    )}
                    <AddForm
                      label={`New lesson in “${section.title}”`}
                      button={`Add lesson to ${section.title}`}
                      onAdd={(title) => createLesson(section.id, { title, kind: "text" })}
                      onDone={refresh}
                    />
                  </li>
                );
              })}
            </ol>
          )}
          <AddForm label="New section" button="Add section" onAdd={(title) => createSection(courseId, title)} onDone={refresh} />
        </>
      )}
    </div>
  );
}

function LessonItem({
  lesson,
  canUp,
  canDown,
  onMove,
  onDone,
}: {
  lesson: LessonOutline;
  canUp: boolean;
  canDown: boolean;
  onMove: (direction: Direction) => void;
  onDone: () => void;
}) {
  return (
    <li className="curriculum-lesson">
      <div className="item-head">
        <span>
          <Link to={`/teach/lessons/${lesson.id}`} aria-label={`Edit lesson ${lesson.title}`}>
            {lesson.title}
          </Link>{" "}
          <span className="muted">
            {KIND_LABELS[lesson.kind]}
            {lesson.duration_minutes ? `, ${lesson.duration_minutes} min` : ""}
          </span>
          {lesson.is_preview && <span className="badge">Free preview</span>}
        </span>
        <MoveButtons item={`lesson-${lesson.id}`} name={lesson.title} canUp={canUp} canDown={canDown} onMove={onMove} />
      </div>
      <div className="row-actions">
        <RenameControl
          name={lesson.title}
          onSave={(title) => updateLesson(lesson.id, { title, kind: lesson.kind })}
          onDone={onDone}
        />
        <DeleteControl
          name={lesson.title}
          question={`Delete the lesson “${lesson.title}”? Students' completions of it stop counting.`}
          onDelete={() => deleteLesson(lesson.id)}
          onDone={onDone}
        />
      </div>
    </li>
  );
}

function MoveButtons({
  item,
  name,
  canUp,
  canDown,
  onMove,
}: {
  item: string;
  name: string;
  canUp: boolean;
  canDown: boolean;
  onMove: (direction: Direction) => void;
}) {
  return (
    <span className="move-buttons">
      <button type="button" className="secondary" data-move={`${item}:up`} aria-label={`Move ${name} up`} disabled={!canUp} onClick={() => onMove("up")}>
        Move up
      </button>
      <button
        type="button"
        className="secondary"
        data-move={`${item}:down`}
        aria-label={`Move ${name} down`}
        disabled={!canDown}
        onClick={() => onMove("down")}
      >
        Move down
      </button>
    </span>
  );
}

function RenameControl({ name, onSave, onDone }: { name: string; onSave: (title: string) => Promise<unknown>; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(name);
  const trigger = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  const save = useMutation({
    mutationFn: () => onSave(title.trim()),
    onSuccess: async () => {
      await onDone();
      close();
    },
  });

  useEffect(() => {
    if (!open && refocus.current) {
      refocus.current = false;
      trigger.current?.focus();
    }
  }, [open]);

  function close() {
    refocus.current = true;
    setOpen(false);
    save.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  if (!open) {
    return (
      <button
        ref={trigger}
        type="button"
        className="secondary"
        aria-label={`Rename ${name}`}
        onClick={() => {
          setTitle(name);
          setOpen(true);
        }}
      >
        Rename
      </button>
    );
  }
  return (
    <form
      className="inline-edit"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !save.isPending) close();
      }}
    >
      <Field
        label={`New title for “${name}”`}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        errors={fieldErrors(save.error, "title")}
        autoFocus
        maxLength={200}
      />
      <Refusal error={save.error} fields={["title"]} />
      <button type="submit" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save title"}
      </button>
      <button type="button" className="secondary" onClick={close} disabled={save.isPending}>
        Cancel
      </button>
    </form>
  );
}

function DeleteControl({
  name,
  question,
  onDelete,
  onDone,
}: {
  name: string;
  question: string;
  onDelete: () => Promise<unknown>;
  onDone: () => void;
}) {
  const remove = useMutation({ mutationFn: onDelete, onSuccess: () => onDone() });
  return (
    <>
      <ConfirmAction
        label={`Delete ${name}`}
        question={question}
        confirmLabel="Yes, delete"
        pendingLabel="Deleting…"
        pending={remove.isPending}
        done={remove.isSuccess}
        onConfirm={() => remove.mutate()}
      />
      <Refusal error={remove.error} />
    </>
  );
}

function AddForm({
  label,
  button,
  onAdd,
  onDone,
}: {
  label: string;
  button: string;
  onAdd: (title: string) => Promise<unknown>;
  onDone: () => void;
}) {
  const [title, setTitle] = useState("");
  const add = useMutation({
    mutationFn: () => onAdd(title.trim()),
    onSuccess: async () => {
      setTitle("");
      await onDone();
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }
  return (
    <form className="add-form" onSubmit={submit}>
      <Field label={label} value={title} onChange={(e) => setTitle(e.target.value)} errors={fieldErrors(add.error, "title")} maxLength={200} />
      <Refusal error={add.error} fields={["title"]} />
      <button type="submit" disabled={add.isPending}>
        {add.isPending ? "Adding…" : button}
      </button>
    </form>
  );
}
