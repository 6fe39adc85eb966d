import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { ApiError, apiBlob } from "../../api/client";
import { courseKeys, enrollmentKeys, fetchCurriculum, fetchMyEnrollment } from "../../api/courses";
import type { Lesson } from "../../api/types";
import { ErrorState, FormError, Loading } from "../../components/States";
import { useAuth } from "../auth/AuthProvider";
import { flattenLessons, lessonPath } from "../../lib/curriculum";
import { saveBlob } from "../../lib/download";
import { sanitizeLessonHtml } from "../../lib/sanitize";
import { completeLesson, fetchLesson, learningKeys } from "./api";
import { videoEmbed } from "./video";

export function LessonPage() {
  const params = useParams();
  const courseId = Number(params.courseId);
  const lessonId = Number(params.lessonId);
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const lesson = useQuery({ queryKey: learningKeys.lesson(lessonId), queryFn: ({ signal }) => fetchLesson(lessonId, signal) });
  const curriculum = useQuery({
    queryKey: courseKeys.curriculum(courseId),
    queryFn: ({ signal }) => fetchCurriculum(courseId, signal),
  });
  // Only an enrolled student marks lessons complete (a visitor may be reading a preview).
  const enrollment = useQuery({
    queryKey: enrollmentKeys.forCourse(courseId),
    queryFn: ({ signal }) => fetchMyEnrollment(courseId, signal),
    enabled: user?.role === "student",
  });
  const complete = useMutation({
    mutationFn: () => completeLesson(lessonId),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: courseKeys.curriculum(courseId) }),
        queryClient.invalidateQueries({ queryKey: enrollmentKeys.all }),
      ]),
  });

  const lessons = curriculum.data ? flattenLessons(curriculum.data) : [];
  const index = lessons.findIndex((l) => l.id === lessonId);
  const outline = index >= 0 ? lessons[index] : undefined;
  const previous = index > 0 ? lessons[index - 1] : undefined;
  const next = index >= 0 ? lessons[index + 1] : undefined;

  return (
    <article>
      <p>
        <Link to={`/courses/${courseId}`}>← Course outline</Link>
      </p>
      {lesson.isPending ? (
        <Loading label="Loading the lesson…" />
      ) : lesson.isError ? (
        <LessonError error={lesson.error} courseId={courseId} onRetry={() => lesson.refetch()} />
      ) : (
        <>
          <h1>{lesson.data.title}</h1>
          {lesson.data.is_preview && <p className="badge">Free preview</p>}
          <LessonContent lesson={lesson.data} />
          {enrollment.data && (
            <div className="panel">
              <FormError error={complete.error} />
              {outline?.is_completed ? (
                <p className="badge badge-done">You completed this lesson</p>
              ) : (
                <button type="button" onClick={() => complete.mutate()} disabled={complete.isPending}>
                  {complete.isPending ? "Saving…" : "Mark as complete"}
                </button>
              )}
            </div>
          )}
        </>
      )}
      <nav className="pagination" aria-label="Lessons">
        {previous ? <Link to={lessonPath(courseId, previous.id)}>← Previous: {previous.title}</Link> : <span />}
        {next ? <Link to={lessonPath(courseId, next.id)}>Next: {next.title} →</Link> : <span />}
      </nav>
    </article>
  );
}

function LessonContent({ lesson }: { lesson: Lesson }) {
  const html = useMemo(() => sanitizeLessonHtml(lesson.body_html), [lesson.body_html]);
  return (
    <>
      {lesson.video_url && <LessonVideo url={lesson.video_url} title={lesson.title} />}
      {html ? <div className="lesson-body" dangerouslySetInnerHTML={{ __html: html }} /> : null}
      {lesson.file_url && <FileDownload url={lesson.file_url} />}
    </>
  );
}

/** A YouTube or Vimeo video in its embedded player; any other address stays a plain link. */
function LessonVideo({ url, title }: { url: string; title: string }) {
  const embed = useMemo(() => videoEmbed(url), [url]);
  const link = (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {embed ? `Watch on ${embed.provider} (opens in a new tab)` : "Watch the video (opens in a new tab)"}
    </a>
  );
  if (!embed) return <p>{link}</p>;
  return (
    <figure className="video">
      <div className="video-frame">
        {/* The players need a referrer (YouTube refuses to play without one), which production's
            same-origin Referrer-Policy would withhold: this frame sends our origin only. */}
        <iframe
          src={embed.src}
          title={`Video: ${title}`}
          allow="encrypted-media; fullscreen; picture-in-picture"
          allowFullScreen
          loading="lazy"
          referrerPolicy="strict-origin-when-cross-origin"
        />
      </div>
      <figcaption>{link}</figcaption>
    </figure>
  );
}

/** The lesson's file comes only with the access token, so it is fetched, then saved. */
function FileDownload({ url }: { url: string }) {
  const download = useMutation({
    mutationFn: () => apiBlob(new URL(url, window.location.origin).pathname),
    onSuccess: ({ blob, filename }) => saveBlob(blob, filename ?? "lesson-file"),
  });
  return (
    <div className="panel">
      <FormError error={download.error} />
      <button type="button" onClick={() => download.mutate()} disabled={download.isPending}>
        {download.isPending ? "Downloading…" : "Download the lesson's file"}
      </button>
    </div>
  );
}

function LessonError({ error, courseId, onRetry }: { error: unknown; courseId: number; onRetry: () => void }) {
  if (error instanceof ApiError && error.status === 403) {
    return (
      <div className="state state-error" role="alert">
        <p>This lesson is for students enrolled in the course.</p>
        <Link to={`/courses/${courseId}`}>See the course and enroll</Link>
      </div>
    );
  }
  return <ErrorState error={error} onRetry={onRetry} />;
}
