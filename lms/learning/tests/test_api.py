"""The curriculum and progress endpoints as clients use them: who sees what, and the contract."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.courses.models import Course, Lesson, Section
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.services import enrollment_end
from lms.learning import services

pytestmark = pytest.mark.django_db


def test_anyone_sees_the_outline_without_content(anon_client, course, build):
    ((lesson, preview),) = build(course, [2], body="secret body")
    preview.is_preview = True
    preview.save()

    r = anon_client.get(f"/api/courses/{course.pk}/curriculum/")

    assert r.status_code == 200
    (section,) = r.json()["sections"]
    assert section["title"] == "Section 1"
    assert section["lessons"][0] == {
        "id": lesson.pk,
        "title": "Lesson 1.1",
        "kind": "text",
        "duration_minutes": None,
        "is_preview": False,
        "is_completed": False,
    }
    assert "secret body" not in r.content.decode()


def test_the_outline_marks_the_students_completed_lessons(student_client, student, course, build, enrollment):
    ((done, todo),) = build(course, [2])
    services.lesson_complete(student=student, lesson=done)

    lessons = student_client.get(f"/api/courses/{course.pk}/curriculum/").json()["sections"][0]["lessons"]

    assert [(item["id"], item["is_completed"]) for item in lessons] == [(done.pk, True), (todo.pk, False)]


def test_an_unknown_course_has_no_curriculum(anon_client):
    assert anon_client.get("/api/courses/999999/curriculum/").json()["code"] == "not_found"


def test_lesson_content_needs_an_enrollment(
    anon_client, student_client, other_student, make_client, course, build, enrollment
):
    ((lesson,),) = build(course, [1], body="**secret**")

    enrolled = student_client.get(f"/api/lessons/{lesson.pk}/")
    strangers = [
        anon_client.get(f"/api/lessons/{lesson.pk}/"),
        make_client(other_student).get(f"/api/lessons/{lesson.pk}/"),
    ]

    assert enrolled.status_code == 200
    assert enrolled.json()["body"] == "**secret**"
    assert enrolled.json()["body_html"] == "<p><strong>secret</strong></p>"
    for r in strangers:
        assert r.status_code == 403
        assert r.json() == {
            "detail": "Enroll in this course to see its lessons.",
            "code": "enrollment_required",
        }


def test_a_preview_lesson_is_open_to_anyone(anon_client, course, build):
    ((lesson,),) = build(course, [1], body="free sample", is_preview=True)

    r = anon_client.get(f"/api/lessons/{lesson.pk}/")

    assert r.status_code == 200
    assert r.json()["body"] == "free sample"
    assert (r.json()["video_url"], r.json()["file_url"]) == (None, None)  # a text lesson has neither


def test_ending_an_enrollment_removes_access_at_once(student_client, course, build, enrollment):
    ((lesson,),) = build(course, [1])
    assert student_client.get(f"/api/lessons/{lesson.pk}/").status_code == 200

    enrollment_end(enrollment=enrollment)

    assert student_client.get(f"/api/lessons/{lesson.pk}/").json()["code"] == "enrollment_required"
    assert student_client.post(f"/api/lessons/{lesson.pk}/complete/").json()["code"] == "enrollment_required"


def test_the_owner_builds_a_curriculum_through_the_api(instructor_client, course):
    Course.objects.filter(pk=course.pk).update(status=Course.Status.DRAFT)  # a draft may be emptied
    section = instructor_client.post(f"/api/courses/{course.pk}/sections/", {"title": "Start"}).json()
    lesson = instructor_client.post(
        f"/api/sections/{section['id']}/lessons/",
        {
            "title": "Watch",
            "kind": "video",
            "video_url": "https://www.youtube.com/watch?v=abc",
            "duration_minutes": 12,
        },
    )
    renamed = instructor_client.patch(f"/api/sections/{section['id']}/", {"title": "Begin"})

    assert lesson.status_code == 201, lesson.content
    assert lesson.json()["course"] == course.pk
    assert lesson.json()["video_url"] == "https://www.youtube.com/watch?v=abc"
    assert renamed.json()["title"] == "Begin"
    assert instructor_client.delete(f"/api/lessons/{lesson.json()['id']}/").status_code == 204
    assert instructor_client.delete(f"/api/sections/{section['id']}/").status_code == 204
    assert not Section.objects.filter(course=course).exists()


def test_lesson_input_is_validated(instructor_client, course, build):
    ((lesson,),) = build(course, [1])

    bad = [
        {"kind": "podcast"},
        {"video_url": "http://www.youtube.com/x"},
        {"duration_minutes": -1},
        {"title": ""},
        {"position": 3},
        {"body_html": "<script>"},
    ]
    for body in bad:
        r = instructor_client.patch(f"/api/lessons/{lesson.pk}/", body)
        assert r.status_code == 400, body
        assert set(r.json()) == set(body), r.json()


def test_a_reorder_through_the_api_is_all_or_nothing(instructor_client, course, build):
    (a, b) = build(course, [2, 1])
    sections = list(Section.objects.filter(course=course).order_by("position"))
    path = f"/api/courses/{course.pk}/curriculum/order/"

    refused = instructor_client.put(path, {"sections": [{"id": sections[0].pk, "lessons": [a[0].pk]}]})
    accepted = instructor_client.put(
        path,
        {
            "sections": [
                {"id": sections[1].pk, "lessons": [b[0].pk, a[1].pk]},
                {"id": sections[0].pk, "lessons": [a[0].pk]},
            ]
        },
    )

    assert refused.status_code == 400
    assert set(refused.json()) == {"sections", "lessons"}
    assert accepted.status_code == 200
    assert [[item["id"] for item in s["lessons"]] for s in accepted.json()["sections"]] == [
        [b[0].pk, a[1].pk],
        [a[0].pk],
    ]


def test_files_are_downloaded_only_through_the_permission_checked_view(
    instructor_client, student_client, make_client, other_student, course, build, enrollment
):
    ((lesson,),) = build(course, [1])
    upload = instructor_client.put(
        f"/api/lessons/{lesson.pk}/file/",
        {"file": SimpleUploadedFile("notes.txt", b"the notes")},
        format="multipart",
    )
    file_url = upload.json()["file_url"]
    stored = Lesson.objects.get(pk=lesson.pk).file.name

    download = student_client.get(file_url)
    stranger = make_client(other_student).get(file_url)

    assert upload.status_code == 200, upload.content
    assert file_url == f"http://testserver{reverse('lesson-file', kwargs={'pk': lesson.pk})}"
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"the notes"
    assert download["Content-Disposition"].startswith("attachment")
    assert stranger.json()["code"] == "enrollment_required"
    assert student_client.get(f"/media/{stored}").status_code == 404  # no public media URL


def test_a_download_keeps_the_uploaded_name_when_another_lesson_has_a_file_of_that_name(
    instructor_client, student_client, course, build, enrollment
):
    ((first, second),) = build(course, [2])
    for lesson in (first, second, second):  # the second lesson's file is replaced by one of the same name
        upload = instructor_client.put(
            f"/api/lessons/{lesson.pk}/file/",
            {"file": SimpleUploadedFile("notes.txt", f"notes of {lesson.pk}".encode())},
            format="multipart",
        )
        assert upload.status_code == 200, upload.content

    downloads = [student_client.get(f"/api/lessons/{lesson.pk}/file/") for lesson in (first, second)]

    # The storage would rename a second "notes.txt" in one directory (notes_AbC123x.txt).
    assert [d["Content-Disposition"] for d in downloads] == ['attachment; filename="notes.txt"'] * 2
    assert [b"".join(d.streaming_content) for d in downloads] == [
        f"notes of {first.pk}".encode(),
        f"notes of {second.pk}".encode(),
    ]


def test_a_lesson_without_a_file_has_no_download(student_client, course, build, enrollment):
    ((lesson,),) = build(course, [1])

    assert student_client.get(f"/api/lessons/{lesson.pk}/").json()["file_url"] is None
    assert student_client.get(f"/api/lessons/{lesson.pk}/file/").status_code == 404


def test_a_student_works_through_a_course_and_sees_100_percent(student_client, course, build, enrollment):
    ((first, second),) = build(course, [2])

    marks = [student_client.post(f"/api/lessons/{lesson.pk}/complete/") for lesson in (first, second, second)]
    progress = student_client.get(f"/api/enrollments/{enrollment.pk}/progress/").json()

    assert [r.status_code for r in marks] == [200, 200, 200]
    assert progress["completed_lessons"] == [first.pk, second.pk]
    assert progress["percent"] == 100
    assert progress["last_lesson"] == second.pk
    assert progress["completed_at"] is not None
    unmark = student_client.delete(f"/api/lessons/{second.pk}/complete/")
    after = student_client.get(f"/api/enrollments/{enrollment.pk}/progress/").json()
    assert unmark.status_code == 204
    assert (after["percent"], after["completed_at"]) == (50, progress["completed_at"])


def test_progress_is_visible_to_the_student_the_owner_and_admins_only(
    student_client,
    instructor_client,
    admin_client_api,
    make_client,
    other_student,
    other_instructor,
    enrollment,
):
    path = f"/api/enrollments/{enrollment.pk}/progress/"

    assert [c.get(path).status_code for c in (student_client, instructor_client, admin_client_api)] == [
        200
    ] * 3
    assert [make_client(u).get(path).status_code for u in (other_student, other_instructor)] == [404, 404]


def test_a_lesson_file_may_be_larger_than_a_json_body_up_to_its_own_limit(
    instructor_client, course, build, settings
):
    ((lesson,),) = build(course, [1])
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.LMS_MAX_UPLOAD_BYTES = 64 * 1024
    path = f"/api/lessons/{lesson.pk}/file/"

    fits = instructor_client.put(
        path, {"file": SimpleUploadedFile("big.bin", b"x" * 32 * 1024)}, format="multipart"
    )
    too_big = instructor_client.put(
        path, {"file": SimpleUploadedFile("huge.bin", b"x" * 80 * 1024)}, format="multipart"
    )
    json_too_big = instructor_client.patch(f"/api/lessons/{lesson.pk}/", {"body": "x" * 2048})

    assert fits.status_code == 200, fits.content
    assert too_big.status_code == 413
    assert json_too_big.status_code == 413


def test_a_drafts_lessons_cannot_be_found_through_completion(student_client, instructor, build):
    draft = CourseFactory(instructor=instructor, status=Course.Status.DRAFT)
    ((lesson,),) = build(draft, [1])
    path = f"/api/lessons/{lesson.pk}/complete/"

    assert student_client.get(f"/api/lessons/{lesson.pk}/").status_code == 404
    assert student_client.post(path).status_code == 404  # not 403: that would say the lesson exists
    assert student_client.delete(path).status_code == 404


def test_a_student_still_enrolled_completes_lessons_of_a_course_taken_off_sale(
    student_client, student, instructor, course, build, enrollment
):
    ((lesson,),) = build(course, [1])
    Course.objects.filter(pk=course.pk).update(status=Course.Status.DRAFT)

    assert student_client.post(f"/api/lessons/{lesson.pk}/complete/").status_code == 200
    assert student_client.delete(f"/api/lessons/{lesson.pk}/complete/").status_code == 204


def test_the_readers_own_answers_vary_on_authorization(student_client, course, build, enrollment):
    ((lesson,),) = build(course, [1])

    for path in (f"/api/courses/{course.pk}/curriculum/", f"/api/lessons/{lesson.pk}/"):
        response = student_client.get(path)
        assert response.status_code == 200
        assert "authorization" in response.headers["Vary"].lower(), path


def test_a_file_upload_refuses_fields_it_does_not_take(instructor_client, course, build):
    ((lesson,),) = build(course, [1])

    response = instructor_client.put(
        f"/api/lessons/{lesson.pk}/file/",
        {"file": SimpleUploadedFile("notes.txt", b"Read me."), "is_preview": "true"},
        format="multipart",
    )

    assert response.status_code == 400
    assert "is_preview" in response.json()
    lesson.refresh_from_db()
    assert not lesson.file and not lesson.is_preview


@pytest.mark.parametrize(
    ("sent", "kept"), [("\U0001f4a9", "lesson-file"), ("#!", "lesson-file"), ("my notes.pdf", "my_notes.pdf")]
)
def test_an_upload_with_a_name_the_storage_cannot_keep_gets_one_it_can(
    instructor_client, student_client, course, build, enrollment, sent, kept
):
    ((lesson,),) = build(course, [1])

    upload = instructor_client.put(
        f"/api/lessons/{lesson.pk}/file/", {"file": SimpleUploadedFile(sent, b"content")}, format="multipart"
    )

    assert upload.status_code == 200, upload.content
    download = student_client.get(f"/api/lessons/{lesson.pk}/file/")
    assert download["Content-Disposition"] == f'attachment; filename="{kept}"'


def test_a_course_on_sale_keeps_a_lesson(instructor_client, course, build):
    ((only,),) = build(course, [1])

    for path in (f"/api/lessons/{only.pk}/", f"/api/sections/{only.section_id}/"):
        refused = instructor_client.delete(path)
        assert refused.status_code == 409, refused.content
        assert refused.json()["code"] == "course_needs_a_lesson"
    assert Lesson.objects.filter(pk=only.pk).exists()

    assert instructor_client.post(f"/api/courses/{course.pk}/unpublish/").status_code == 200
    assert instructor_client.delete(f"/api/sections/{only.section_id}/").status_code == 204
