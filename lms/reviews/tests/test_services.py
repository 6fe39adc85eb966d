"""The course's rating aggregate follows every review change; hidden reviews do not count."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from lms.audit.models import AuditRecord
from lms.courses.models import Course
from lms.courses.services import course_unpublish
from lms.enrollments.services import enrollment_end
from lms.reviews import services
from lms.reviews.models import Review
from lms.reviews.services import ReviewExists, ReviewHidden, review_create, review_delete, review_update

pytestmark = pytest.mark.django_db


def aggregate(course) -> tuple[int, int, Decimal | None]:
    course = Course.objects.get(pk=course.pk)
    return course.rating_count, course.rating_sum, course.rating_avg


def test_create_adds_to_the_aggregate(course, review_by):
    assert aggregate(course) == (0, 0, None)
    review_by(course, rating=5)
    assert aggregate(course) == (1, 5, Decimal("5.0"))
    review_by(course, rating=4)
    review_by(course, rating=4)
    assert aggregate(course) == (3, 13, Decimal("4.3"))  # 4.333...


def test_the_average_rounds_half_up(course, review_by):
    review_by(course, rating=5)
    review_by(course, rating=4)
    review_by(course, rating=4)
    review_by(course, rating=4)
    assert aggregate(course) == (4, 17, Decimal("4.3"))  # 4.25
    review_by(course, rating=1)
    review_by(course, rating=1)
    review_by(course, rating=1)
    review_by(course, rating=2)
    assert aggregate(course) == (8, 22, Decimal("2.8"))  # 2.75


def test_editing_the_rating_moves_the_sum_only(course, review_by):
    review = review_by(course, rating=2)
    review_by(course, rating=4)

    review_update(review=review, actor=review.student, rating=5, text="Better on a second look")

    assert aggregate(course) == (2, 9, Decimal("4.5"))
    review.refresh_from_db()
    assert (review.rating, review.text) == (5, "Better on a second look")


def test_delete_takes_it_away(course, review_by):
    review = review_by(course, rating=2)
    review_by(course, rating=4)

    review_delete(review=review, actor=review.student)

    assert aggregate(course) == (1, 4, Decimal("4.0"))
    assert not Review.objects.filter(pk=review.pk).exists()


def test_deleting_the_last_review_makes_the_average_null(course, review_by):
    review = review_by(course, rating=3)
    review_delete(review=review, actor=review.student)
    assert aggregate(course) == (0, 0, None)


def test_hide_and_unhide(course, review_by, admin_user):
    hidden = review_by(course, rating=1)
    review_by(course, rating=5)

    review_update(review=hidden, actor=admin_user, is_hidden=True)
    assert aggregate(course) == (1, 5, Decimal("5.0"))
    hidden.refresh_from_db()
    assert hidden.is_hidden and hidden.hidden_by == admin_user and hidden.hidden_at is not None

    review_update(review=hidden, actor=admin_user, is_hidden=True)  # hiding twice changes nothing
    assert aggregate(course) == (1, 5, Decimal("5.0"))

    review_update(review=hidden, actor=admin_user, is_hidden=False)
    assert aggregate(course) == (2, 6, Decimal("3.0"))
    hidden.refresh_from_db()
    assert not hidden.is_hidden and hidden.hidden_by is None and hidden.hidden_at is None


def test_a_hidden_review_edited_leaves_the_aggregate_alone(course, review_by, admin_user):
    review = review_by(course, rating=1)
    review_by(course, rating=5)
    review_update(review=review, actor=admin_user, is_hidden=True)

    review_update(review=review, actor=review.student, rating=3)
    assert aggregate(course) == (1, 5, Decimal("5.0"))


def test_a_hidden_review_cannot_be_deleted_and_posted_again(course, review_by, admin_user):
    """Deleting would let the author post it again, visible: the admin's hiding must hold."""
    review = review_by(course, rating=1, text="Spam")
    review_update(review=review, actor=admin_user, is_hidden=True)

    with pytest.raises(ReviewHidden):
        review_delete(review=review, actor=review.student)
    with pytest.raises(ReviewExists):
        review_create(student=review.student, course=course, rating=1, text="Spam")
    assert Review.objects.filter(pk=review.pk, is_hidden=True).exists()
    assert aggregate(course) == (0, 0, None)


def test_the_reply_is_the_instructors_and_can_be_edited_or_removed(course, review_by, instructor):
    review = review_by(course)

    review_update(review=review, actor=instructor, reply="Thanks!")
    review.refresh_from_db()
    first = review.replied_at
    assert review.reply == "Thanks!" and first is not None

    review_update(review=review, actor=instructor, reply="Thanks, fixed the typo.")
    review.refresh_from_db()
    assert review.reply == "Thanks, fixed the typo." and review.replied_at >= first

    review_update(review=review, actor=instructor, reply="")
    review.refresh_from_db()
    assert review.reply == "" and review.replied_at is None


@pytest.mark.parametrize(
    ("role", "field", "value"),
    [
        ("author", "reply", "Self-praise"),
        ("author", "is_hidden", True),
        ("owner", "rating", 1),
        ("owner", "text", "Rewritten"),
        ("owner", "is_hidden", True),
        ("admin", "rating", 1),
        ("admin", "reply", "Admin's word"),
    ],
)
def test_each_role_changes_only_its_fields(course, review_by, instructor, admin_user, role, field, value):
    review = review_by(course, rating=4, text="Original")
    actor = {"author": review.student, "owner": instructor, "admin": admin_user}[role]

    with pytest.raises(services.ReviewFieldForbidden):
        review_update(review=review, actor=actor, **{field: value})

    review.refresh_from_db()
    assert (review.rating, review.text, review.reply, review.is_hidden) == (4, "Original", "", False)
    assert aggregate(course) == (1, 4, Decimal("4.0"))


def test_others_change_nothing(course, review_by, other_student, other_instructor):
    review = review_by(course)
    for actor in (other_student, other_instructor):
        with pytest.raises(services.Forbidden):
            review_update(review=review, actor=actor, rating=1)
        with pytest.raises(services.ReviewDeleteForbidden):
            review_delete(review=review, actor=actor)


def test_only_the_author_deletes(course, review_by, instructor, admin_user):
    review = review_by(course)
    for actor in (instructor, admin_user):
        with pytest.raises(services.ReviewDeleteForbidden):
            review_delete(review=review, actor=actor)
    assert Review.objects.filter(pk=review.pk).exists()


def test_only_actively_enrolled_students_review(course, student, ended_student, instructor, admin_user):
    with pytest.raises(services.ReviewEnrollmentRequired):
        review_create(student=student, course=course, rating=5)
    with pytest.raises(services.ReviewEnrollmentRequired):
        review_create(student=ended_student, course=course, rating=5)
    for user in (instructor, admin_user):
        with pytest.raises(services.StudentsOnly):
            review_create(student=user, course=course, rating=5)
    assert aggregate(course) == (0, 0, None)


def test_a_second_review_is_a_conflict(course, review_by):
    review = review_by(course, rating=4)
    with pytest.raises(services.ReviewExists):
        review_create(student=review.student, course=course, rating=1)
    assert aggregate(course) == (1, 4, Decimal("4.0"))


def test_the_database_keeps_one_review_per_student_and_course(course, review_by):
    review = review_by(course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(course=course, student=review.student, rating=3)


@pytest.mark.parametrize("rating", [0, 6])
def test_the_database_keeps_ratings_within_1_to_5(course, student, rating):
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(course=course, student=student, rating=rating)


def test_the_database_refuses_an_inconsistent_aggregate(course):
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=course.pk).update(rating_count=1, rating_sum=7, rating_avg=Decimal("5.0"))


def test_a_refunded_students_review_stays(course, review_by, student, enrollment):
    review = review_create(student=student, course=course, rating=5)

    enrollment_end(enrollment=enrollment)

    assert Review.objects.filter(pk=review.pk).exists()
    assert aggregate(course) == (1, 5, Decimal("5.0"))


def test_unpublishing_keeps_the_reviews(course, review_by, instructor):
    review = review_by(course, rating=3)

    course_unpublish(course=course, actor=instructor)

    assert Review.objects.filter(pk=review.pk).exists()
    assert aggregate(course) == (1, 3, Decimal("3.0"))


def test_every_change_is_audited(course, review_by, instructor, admin_user):
    review = review_by(course)
    review_update(review=review, actor=review.student, rating=2)
    review_update(review=review, actor=instructor, reply="Sorry to hear it")
    review_update(review=review, actor=admin_user, is_hidden=True)
    review_update(review=review, actor=admin_user, is_hidden=False)
    review_delete(review=review, actor=review.student)

    trail = AuditRecord.objects.filter(entity="review", entity_id=review.pk).order_by("id")
    assert [(r.from_status, r.to_status) for r in trail] == [
        ("", "visible"),
        ("visible", "edited"),
        ("visible", "replied"),
        ("visible", "hidden"),
        ("hidden", "visible"),
        ("visible", "deleted"),
    ]
