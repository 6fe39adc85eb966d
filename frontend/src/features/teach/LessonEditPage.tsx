import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Link, useParams } from "react-router";
import { courseKeys } from "../../api/courses";
import type { Lesson, LessonKind } from "../../api/types";
import { Field, TextAreaField } from "../../components/Field";
import { SelectField } from "../../components/lists";
import { Empty, ErrorState, Loading, fieldErrors } from "../../components/States";
import { sanitizeLessonHtml } from "../../lib/sanitize";
import { fetchLesson, teachKeys, updateLesson, uploadLessonFile } from "./api";
import { Refusal } from "./parts";

const KINDS: { value: LessonKind; label: string }[] = [
  { value: "text", label: "Text" },
  { value: "video", label: "Video" },
  { value: "file", label: "File" },
];
const FORM_FIELDS = ["title", "kind", "body", "video_url", "duration_minutes", "is_preview"];

/** `/teach/lessons/:id`: a lesson's content, its Markdown previewed as the server renders it, and its file. */
export function LessonEditPage() {
  const lessonId = Number(useParams().lessonId);
  const lesson = useQuery({ queryKey: teachKeys.lesson(lessonId), queryFn: ({ signal }) => fetchLesson(lessonId, signal) });

  if (lesson.isPending) return <Loading label="Loading the lesson…" />;
  if (lesson.isError) {
    return (
      <section>
        <p>
          <Link to="/teach">← My courses</Link>
        </p>
        <h1>Lesson</h1>
        <ErrorState error={lesson.error} onRetry={() => lesson.refetch()} />
      </section>
    );
  }
  return (
    <section>
      <p>
        <Link to={`/teach/courses/${lesson.data.course}`}>← The course and its curriculum</Link>
      </p>
      <h1>Lesson: {lesson.data.title}</h1>
      <p>
        <Link to={`/courses/${lesson.data.course}/lessons/${lesson.data.id}`}>See it as a student does</Link>
      </p>
      <LessonForm key={lesson.data.id} lesson={lesson.data} />
      <FileUpload lesson={lesson.data} />
    </section>
  );
}

function LessonForm({ lesson }: { lesson: Lesson }) {
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(lesson.title);
  const [kind, setKind] = useState<LessonKind>(lesson.kind);
  const [body, setBody] = useState(lesson.body);
  const [videoUrl, setVideoUrl] = useState(lesson.video_url ?? "");
  const [duration, setDuration] = useState(lesson.duration_minutes === null ? "" : String(lesson.duration_minutes));
  const [isPreview, setIsPreview] = useState(lesson.is_preview);
  const previewId = useId();

  const save = useMutation({
    mutationFn: () =>
      updateLesson(lesson.id, {
        title,
        kind,
        body,
        video_url: videoUrl.trim(),
        duration_minutes: duration.trim() === "" ? null : Number(duration),
        is_preview: isPreview,
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(teachKeys.lesson(saved.id), saved);
      return queryClient.invalidateQueries({ queryKey: courseKeys.curriculum(saved.course) });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form onSubmit={submit} noValidate>
      <Refusal error={save.error} fields={FORM_FIELDS} />
      <div className="form-grid">
        <Field label="Title" value={title} onChange={(e) => setTitle(e.target.value)} errors={fieldErrors(save.error, "title")} maxLength={200} />
        <SelectField label="Kind" value={kind} options={KINDS} onChange={(value) => setKind(value as LessonKind)} errors={fieldErrors(save.error, "kind")} />
        <Field
          label="Video URL (https, YouTube or Vimeo)"
          type="url"
          value={videoUrl}
          onChange={(e) => setVideoUrl(e.target.value)}
          errors={fieldErrors(save.error, "video_url")}
        />
        <Field
          label="Duration in minutes"
          inputMode="numeric"
          value={duration}
          onChange={(e) => setDuration(e.target.value)}
          errors={fieldErrors(save.error, "duration_minutes")}
        />
      </div>
      <div className="field">
        <label className="inline" htmlFor={previewId}>
          <input id={previewId} type="checkbox" checked={isPreview} onChange={(e) => setIsPreview(e.target.checked)} />
          Free preview (anyone may read it once the course is published)
        </label>
      </div>
      <BodyTabs body={body} onBody={setBody} savedBody={lesson.body} savedHtml={lesson.body_html} errors={fieldErrors(save.error, "body")} />
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save lesson"}
        </button>
        {save.isSuccess && (
          <p role="status" className="ok">
            Saved.
          </p>
        )}
      </div>
    </form>
  );
}

/** "Write" (the Markdown) and "Preview" (the saved lesson's HTML, as the server rendered it) as tabs. */
function BodyTabs({
  body,
  onBody,
  savedBody,
  savedHtml,
  errors,
}: {
  body: string;
  onBody: (body: string) => void;
  savedBody: string;
  savedHtml: string;
  errors: string[] | undefined;
}) {
  const [tab, setTab] = useState<"write" | "preview">("write");
  const base = useId();
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const html = useMemo(() => sanitizeLessonHtml(savedHtml), [savedHtml]);
  const names = ["write", "preview"] as const;

  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    event.preventDefault();
    const next = tab === "write" ? "preview" : "write";
    setTab(next);
    tabs.current[names.indexOf(next)]?.focus();
  }

  return (
    <div className="body-tabs">
      <div role="tablist" aria-label="Lesson body" onKeyDown={onKeyDown}>
        {names.map((name, index) => (
          <button
            key={name}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`${base}-${name}-tab`}
            aria-selected={tab === name}
            aria-controls={`${base}-${name}`}
            tabIndex={tab === name ? 0 : -1}
            className={tab === name ? "tab tab-active" : "tab"}
            onClick={() => setTab(name)}
          >
            {name === "write" ? "Write" : "Preview"}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-write`} aria-labelledby={`${base}-write-tab`} hidden={tab !== "write"}>
        <TextAreaField label="Body (Markdown)" value={body} onChange={(e) => onBody(e.target.value)} errors={errors} rows={12} />
      </div>
      <div role="tabpanel" id={`${base}-preview`} aria-labelledby={`${base}-preview-tab`} hidden={tab !== "preview"} tabIndex={0}>
        {body !== savedBody && (
          <p className="muted">The preview shows the saved lesson: save to see your latest changes.</p>
        )}
        {html ? <div className="lesson-body panel" dangerouslySetInnerHTML={{ __html: html }} /> : <Empty>The saved lesson has no body yet.</Empty>}
      </div>
    </div>
  );
}

function FileUpload({ lesson }: { lesson: Lesson }) {
  const queryClient = useQueryClient();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: (chosen: File) => uploadLessonFile(lesson.id, chosen),
    onSuccess: (saved) => queryClient.setQueryData(teachKeys.lesson(saved.id), saved),
  });
  const errors = fieldErrors(upload.error, "file");

  function submit(event: FormEvent) {
    event.preventDefault();
    if (file) upload.mutate(file);
  }

  return (
    <form className="panel" onSubmit={submit}>
      <h2>The lesson's file</h2>
      <p className="muted">
        {lesson.file_url ? "This lesson has a file; uploading another replaces it." : "This lesson has no file yet."} Students
        download it from the lesson.
      </p>
      <div className="field">
        <label htmlFor={inputId}>File to upload</label>
        <input
          id={inputId}
          type="file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? `${inputId}-errors` : undefined}
        />
        {errors && (
          <ul id={`${inputId}-errors`} className="field-errors">
            {errors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        )}
      </div>
      <Refusal error={upload.error} fields={["file"]} />
      <button type="submit" disabled={!file || upload.isPending}>
        {upload.isPending ? "Uploading…" : "Upload file"}
      </button>
      {upload.isSuccess && (
        <p role="status" className="ok">
          File uploaded.
        </p>
      )}
    </form>
  );
}
