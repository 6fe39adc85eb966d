import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { courseKeys, fetchCourse, fetchCurriculum } from "../../api/courses";
import type { Course, CourseInput } from "../../api/types";
import { Field, TextAreaField } from "../../components/Field";
import { ErrorState, Loading, fieldErrors } from "../../components/States";
import { useAuth } from "../auth/AuthProvider";
import { courseSaved, createCourse, publishCourse, updateCourse } from "./api";
import { CurriculumEditor } from "./CurriculumEditor";
import { StatusBadge } from "./CoursesPage";
import { Refusal } from "./parts";

const FORM_FIELDS = ["title", "description", "price", "instructor"];

/** `/teach/new` creates a course (a draft); `/teach/courses/:id` edits one, publishes it and its curriculum. */
export function CourseEditPage() {
  const params = useParams();
  const courseId = params.courseId ? Number(params.courseId) : null;
  const course = useQuery({
    queryKey: courseKeys.detail(courseId ?? 0),
    queryFn: ({ signal }) => fetchCourse(courseId!, signal),
    enabled: courseId !== null,
  });

  if (courseId === null) {
    return (
      <section>
        <p>
          <Link to="/teach">← My courses</Link>
        </p>
        <h1>New course</h1>
        <p className="muted">A new course is a draft: add sections and lessons, then publish it.</p>
        <CourseForm />
      </section>
    );
  }
  return (
    <section>
      <p>
        <Link to="/teach">← My courses</Link>
      </p>
      {course.isPending ? (
        <Loading label="Loading the course…" />
      ) : course.isError ? (
        <>
          <h1>Course</h1>
          <ErrorState error={course.error} onRetry={() => course.refetch()} />
        </>
      ) : (
        <>
          <h1>
            {course.data.title} <StatusBadge status={course.data.status} />
          </h1>
          <PublishPanel course={course.data} />
          <h2>Details</h2>
          <CourseForm key={course.data.id} course={course.data} />
          <CurriculumEditor courseId={course.data.id} />
        </>
      )}
    </section>
  );
}

function CourseForm({ course }: { course?: Course }) {
  const { user } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(course?.title ?? "");
  const [description, setDescription] = useState(course?.description ?? "");
  const [price, setPrice] = useState(course?.price ?? "0.00");
  const [instructor, setInstructor] = useState("");
  const asAdmin = user?.role === "admin" && !course;

  const save = useMutation({
    mutationFn: () => {
      const body: CourseInput = {
        title,
        description,
        price,
        ...(asAdmin && instructor.trim() !== "" ? { instructor: Number(instructor) } : {}),
      };
      return course ? updateCourse(course.id, body) : createCourse(body);
    },
    onSuccess: async (saved) => {
      await courseSaved(queryClient, saved);
      if (!course) navigate(`/teach/courses/${saved.id}`);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form className="narrow-form" onSubmit={submit} noValidate>
      <Refusal error={save.error} fields={FORM_FIELDS} />
      <Field
        label="Title"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        errors={fieldErrors(save.error, "title")}
        required
        maxLength={200}
      />
      <TextAreaField
        label="Description"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        errors={fieldErrors(save.error, "description")}
        rows={5}
      />
      <Field
        label="Price in USD (0 for a free course)"
        value={price}
        onChange={(e) => setPrice(e.target.value)}
        errors={fieldErrors(save.error, "price")}
        inputMode="decimal"
        required
      />
      {asAdmin && (
        <Field
          label="Instructor (user id)"
          value={instructor}
          onChange={(e) => setInstructor(e.target.value)}
          errors={fieldErrors(save.error, "instructor")}
          inputMode="numeric"
        />
      )}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : course ? "Save changes" : "Create course"}
        </button>
        {course && save.isSuccess && (
          <p role="status" className="ok">
            Saved.
          </p>
        )}
      </div>
    </form>
  );
}

function PublishPanel({ course }: { course: Course }) {
  const queryClient = useQueryClient();
  const publishing = course.status === "draft";
  const change = useMutation({
    mutationFn: () => publishCourse(course.id, publishing),
    onSuccess: (saved) => courseSaved(queryClient, saved),
  });
  // A refusal ("add a lesson first") is out of date once the curriculum changes: it goes.
  const curriculum = useQuery({
    queryKey: courseKeys.curriculum(course.id),
    queryFn: ({ signal }) => fetchCurriculum(course.id, signal),
  });
  const lessonCount = curriculum.data?.sections.reduce((count, section) => count + section.lessons.length, 0);
  const { isError, reset } = change;
  useEffect(() => {
    if (isError) reset();
    // Only a change of the lesson count clears it, not the refusal's own arrival.
  }, [lessonCount]);
  return (
    <div className="panel">
      {publishing ? (
        <p>This course is a draft: only you (and admins) see it. Publishing puts it in the catalog.</p>
      ) : (
        <p>
          This course is on sale in the <Link to={`/courses/${course.id}`}>catalog</Link>. Unpublishing takes it off sale;
          enrolled students keep their access.
        </p>
      )}
      <Refusal error={change.error} />
      <button type="button" onClick={() => change.mutate()} disabled={change.isPending}>
        {change.isPending ? "Saving…" : publishing ? "Publish" : "Unpublish"}
      </button>
      {change.isSuccess && (
        <p role="status" className="ok">
          {change.data.status === "published" ? "Published." : "Back to draft."}
        </p>
      )}
    </div>
  );
}
