"""Seed the benchmark's PostgreSQL database: users, courses, enrollments, and pending payments.

Rows are written with COPY and explicit ids, so 10,000 courses take about a second and a million
about half a minute. A database that already holds the requested catalog is kept (BENCH_RESEED=1
seeds it again). Pending payments for the webhook are recreated on every run.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

PASSWORD = "bench-Passw0rd-not-a-secret"
EMAIL_DOMAIN = "bench.example"
INTENT_PREFIX = "pi_bench_"
SEARCH_TERM = "kubernetes"  # one course in len(TOPICS)
# Titles are "<level> <topic> <kind>".
LEVELS = ["Intro to", "Practical", "Advanced", "Modern", "Hands-on", "Mastering", "Applied", "Essential"]
TOPICS = [
    "Python", "Django", "Rust", "Go", "TypeScript", "React", "Vue", "Svelte", "PostgreSQL", "Redis",
    "Kubernetes", "Docker", "Terraform", "Linux", "Git", "GraphQL", "Kafka", "Spark", "Pandas", "NumPy",
    "Statistics", "Calculus", "Algebra", "Physics", "Chemistry", "Biology", "Spanish", "French", "German",
    "Japanese", "Photography", "Drawing", "Guitar", "Piano", "Marketing", "Accounting", "Negotiation",
    "Leadership", "Writing", "Cooking",
]  # fmt: skip
KINDS = ["Fundamentals", "Bootcamp", "Workshop", "in Practice", "Deep Dive", "Crash Course", "Projects"]
WORDS = "learn build ship test deploy scale design model measure explore practice apply debug teach".split()
PRICES = [Decimal(p) for p in ("9.99", "19.99", "29.99", "49.99", "99.99", "120.00", "199.00")]
FIRST_STUDENT_ENROLLMENTS = 30  # a full first page of "my enrollments", and more
# A course with a long curriculum, made again on every run, that the token users are enrolled in.
CURRICULUM_TITLE = "Bench curriculum"
CURRICULUM_SHAPE = (20, 10)  # sections, lessons per section


@dataclass(frozen=True)
class Plan:
    """Ids are positions + 1: instructors first, then students; courses and enrollments from 1."""

    courses: int
    instructors: int
    students: int
    per_student: int = 5

    @classmethod
    def for_courses(cls, courses: int) -> Plan:
        return cls(courses, max(10, courses // 100), max(200, min(courses // 10, 50_000)))

    def student_id(self, index: int) -> int:
        return self.instructors + index + 1

    def positions(self, student: int) -> list[int]:
        """The course positions a student is enrolled in: distinct, spread over the catalog."""
        count = FIRST_STUDENT_ENROLLMENTS if student == 0 else self.per_student
        return [(student * 31 + k * (self.courses // count)) % self.courses for k in range(count)]

    @property
    def enrollments(self) -> int:
        return FIRST_STUDENT_ENROLLMENTS + self.per_student * (self.students - 1)


def price(position: int) -> Decimal:
    return Decimal("0.00") if position % 10 == 0 else PRICES[position % len(PRICES)]


def _copy(model: Any, rows: Iterable[dict[str, Any]]) -> None:
    """COPY rows (by attname; missing fields take the model's default), bypassing save() and signals."""
    from django.db import connection

    fields = list(model._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as cp,
    ):
        for row in rows:
            cp.write_row([row[f.attname] if f.attname in row else f.get_default() for f in fields])


def _after_copy(models: list[Any]) -> None:
    """Sequences past the explicit ids; VACUUM ANALYZE (statistics, and the visibility map that
    index-only scans need, as autovacuum would build on a live table)."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        cursor.execute(f"VACUUM ANALYZE {', '.join(m._meta.db_table for m in models)}")


def _users(plan: Plan, password: str, now: datetime) -> Iterator[dict[str, Any]]:
    for role, count, offset in (
        ("instructor", plan.instructors, 0),
        ("student", plan.students, plan.instructors),
    ):
        for i in range(count):
            yield {
                "id": offset + i + 1,
                "password": password,
                "username": f"{role}{i}",
                "email": f"{role}{i}@{EMAIL_DOMAIN}",
                "first_name": role.title(),
                "last_name": str(i),
                "role": role,
                "is_active": True,
                "date_joined": now,
            }


def _courses(plan: Plan, now: datetime) -> Iterator[dict[str, Any]]:
    rng = random.Random(6)  # noqa: S311 (test data)
    step = timedelta(days=730) / plan.courses  # two years, newest last
    for p in range(plan.courses):
        created = now - timedelta(days=730) + step * p
        yield {
            "id": p + 1,
            "title": f"{LEVELS[p % 8]} {TOPICS[(p // 3) % len(TOPICS)]} {KINDS[(p // 7) % len(KINDS)]}",
            "description": f"Course {p}: {' '.join(rng.choices(WORDS, k=14))}.",
            "price": price(p),
            "instructor_id": p % plan.instructors + 1,
            "status": "published",
            "created_at": created,
            "updated_at": created,
        }


def _enrollments(plan: Plan, now: datetime) -> Iterator[dict[str, Any]]:
    n = 0
    for s in range(plan.students):
        for k, p in enumerate(plan.positions(s)):
            n += 1
            # Never "payment": the webhook's enrollments are the only ones with that source.
            yield {
                "id": n,
                "student_id": plan.student_id(s),
                "course_id": p + 1,
                "source": "free" if price(p) == 0 else "admin",
                "enrolled_at": now - timedelta(minutes=k + s),
            }


def seed_catalog(plan: Plan, *, reset: bool = False) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from lms.courses.models import Course
    from lms.enrollments.models import Enrollment
    from lms.users.models import User

    kept = (
        User.objects.filter(role="instructor").count() == plan.instructors
        and User.objects.filter(role="student").count() == plan.students
        and Course.objects.exclude(title=CURRICULUM_TITLE).count() == plan.courses
        and Enrollment.objects.exclude(source="payment").exclude(course__title=CURRICULUM_TITLE).count()
        == plan.enrollments
    )
    if kept and not reset:
        print(f"[bench] seed: the catalog of {plan.courses:,} courses is there already, kept")
        return
    started = time.monotonic()
    call_command("flush", interactive=False, verbosity=0)
    now = timezone.now()
    with transaction.atomic():
        _copy(User, _users(plan, make_password(PASSWORD), now))
        _copy(Course, _courses(plan, now))
        _copy(Enrollment, _enrollments(plan, now))
    _after_copy([User, Course, Enrollment])
    took = time.monotonic() - started
    print(f"[bench] seed: {plan.courses:,} courses, {plan.enrollments:,} enrollments in {took:.1f}s")


def seed_payments(plan: Plan, count: int) -> None:
    """Replace every payment with `count` pending ones, each for a paid course its student lacks."""
    from django.conf import settings
    from django.db import DatabaseError, connection, transaction
    from django.utils import timezone

    from lms.audit.models import AuditRecord
    from lms.enrollments.models import Enrollment
    from lms.payments.models import Payment, WebhookEvent

    rng = random.Random(count)  # noqa: S311 (test data)
    run, now = uuid.uuid4().hex[:8], timezone.now()
    chosen: set[tuple[int, int]] = set()

    def rows() -> Iterator[dict[str, Any]]:
        while len(chosen) < count:
            s, p = rng.randrange(plan.students), rng.randrange(plan.courses)
            if price(p) == 0 or (s, p) in chosen or p in plan.positions(s):
                continue
            chosen.add((s, p))
            n = len(chosen)
            yield {
                "id": n,
                "student_id": plan.student_id(s),
                "course_id": p + 1,
                "amount": price(p),
                "currency": settings.LMS_CURRENCY,
                "status": "pending",
                "stripe_payment_intent": f"{INTENT_PREFIX}{run}_{n:08d}",
                "key": uuid.uuid4(),
                "created_at": now,
                "updated_at": now,
            }

    with transaction.atomic():
        # Everything here was written by earlier runs' webhook events: every run starts the same.
        WebhookEvent.objects.all().delete()
        Enrollment.objects.filter(source="payment").delete()
        Payment.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {AuditRecord._meta.db_table}")  # noqa: S608 (a model's table)
        _copy(Payment, rows())
    _after_copy([Payment, Enrollment, WebhookEvent, AuditRecord])  # dead rows would slow each run
    try:  # write the dirty pages now rather than during a measurement (needs a superuser)
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError as exc:
        print(f"[bench] no CHECKPOINT: {exc}".strip())


def seed_curriculum(plan: Plan, students: int) -> tuple[int, int]:
    """(course id, a lesson id): a published course of CURRICULUM_SHAPE lessons, made afresh, with
    the first `students` students enrolled and no lesson completed yet."""
    from django.db import transaction

    from lms.courses.models import Course, Lesson, Section
    from lms.enrollments.models import Enrollment
    from lms.learning.rendering import render_markdown

    sections, per_section = CURRICULUM_SHAPE
    body = "## Goals\n\nRead the **notes**, then try the [exercise](https://example.com/ex).\n"
    with transaction.atomic():
        Enrollment.objects.filter(course__title=CURRICULUM_TITLE).delete()  # their completions too
        Course.objects.filter(title=CURRICULUM_TITLE).delete()
        course = Course.objects.create(
            title=CURRICULUM_TITLE, price=Decimal("49.99"), instructor_id=1, status="published"
        )
        made = Section.objects.bulk_create(
            Section(course=course, title=f"Part {n + 1}", position=n) for n in range(sections)
        )
        Lesson.objects.bulk_create(
            Lesson(
                section=section,
                title=f"Lesson {k + 1}",
                body=body,
                body_html=render_markdown(body),
                position=k,
            )
            for section in made
            for k in range(per_section)
        )
        Enrollment.objects.bulk_create(
            Enrollment(student_id=plan.student_id(s), course=course, source="admin") for s in range(students)
        )
    lesson = Lesson.objects.filter(section__course=course).order_by("section__position", "position").first()
    return course.pk, lesson.pk


def clear_cache() -> None:
    """Forget a previous catalog's cached pages (only this prefix's keys with django-redis)."""
    from django.core.cache import cache

    getattr(cache, "delete_pattern", lambda _: cache.clear())("*")
