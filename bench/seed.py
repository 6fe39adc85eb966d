"""Seed the benchmark database: instructors, students, courses, enrollments and pending payments.

    .venv/bin/python -m bench.seed --courses 1000000            # PostgreSQL database lms_bench
    .venv/bin/python -m bench.seed --db sqlite --courses 10000

Rows are written with COPY on PostgreSQL and batched INSERTs elsewhere, with explicit ids, so a
million courses take well under a minute. The catalog part is idempotent: when the database
already holds exactly the requested catalog it is kept; otherwise the database is flushed and
seeded again. Pending payments (for the webhook benchmark) are recreated on every call.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

BENCH_PASSWORD = "bench-Passw0rd-not-a-secret"
BENCH_EMAIL_DOMAIN = "bench.example"
INTENT_PREFIX = "pi_bench_"
PAGE_SIZE = 20
# Titles are "<level> <topic> <kind>": searching one topic matches about 1 course in len(TOPICS).
LEVELS = ["Intro to", "Practical", "Advanced", "Modern", "Hands-on", "Mastering", "Applied", "Essential"]
TOPICS = [
    "Python", "Django", "Rust", "Go", "TypeScript", "React", "Vue", "Svelte", "PostgreSQL", "Redis",
    "Kubernetes", "Docker", "Terraform", "Linux", "Git", "GraphQL", "Kafka", "Spark", "Pandas", "NumPy",
    "Statistics", "Calculus", "Algebra", "Physics", "Chemistry", "Biology", "Spanish", "French", "German",
    "Japanese", "Photography", "Drawing", "Guitar", "Piano", "Marketing", "Accounting", "Negotiation",
    "Leadership", "Writing", "Cooking",
]  # fmt: skip
KINDS = ["Fundamentals", "Bootcamp", "Workshop", "in Practice", "Deep Dive", "Crash Course", "Projects"]
WORDS = (
    "learn build ship test deploy scale design model measure explore understand practice apply "
    "master review improve automate debug profile secure document refactor migrate analyse teach"
).split()
PRICES = [Decimal(p) for p in ("9.99", "19.99", "29.99", "49.99", "99.99", "120.00", "199.00")]
FREE_EVERY = 10  # one course in ten is free


@dataclass(frozen=True)
class Plan:
    courses: int
    instructors: int
    students: int
    enrollments_per_student: int
    # The benchmark student has a full first page of enrollments.
    bench_student_enrollments: int = 30

    @classmethod
    def for_courses(
        cls,
        courses: int,
        *,
        instructors: int | None = None,
        students: int | None = None,
        enrollments_per_student: int = 5,
    ) -> Plan:
        if courses < PAGE_SIZE:
            raise ValueError(f"Seed at least {PAGE_SIZE} courses.")
        return cls(
            courses=courses,
            instructors=instructors or max(10, courses // 100),
            students=students or max(200, min(courses // 10, 50_000)),
            enrollments_per_student=min(enrollments_per_student, courses),
        )

    def enrollment_count(self, student: int) -> int:
        wanted = self.bench_student_enrollments if student == 0 else self.enrollments_per_student
        return min(wanted, self.courses)

    def enrolled_positions(self, student: int) -> Iterator[int]:
        """The course positions (0-based) a student is enrolled in: distinct, spread over the catalog."""
        count = self.enrollment_count(student)
        step = self.courses // count
        for k in range(count):
            yield (student * 31 + k * step) % self.courses

    @property
    def total_enrollments(self) -> int:
        return sum(self.enrollment_count(s) for s in range(self.students))


def course_price(position: int) -> Decimal:
    return Decimal("0.00") if position % FREE_EVERY == 0 else PRICES[position % len(PRICES)]


def course_id(position: int) -> int:
    return position + 1


def instructor_id(index: int) -> int:
    return index + 1


def student_id(plan: Plan, index: int) -> int:
    return plan.instructors + index + 1


def student_email(index: int) -> str:
    return f"student{index}@{BENCH_EMAIL_DOMAIN}"


def search_term() -> str:
    return "kubernetes"


# --- Writing rows ------------------------------------------------------------------------------


def _insert(model: Any, rows: Iterable[dict[str, Any]], *, batch: int = 5000) -> int:
    """Insert rows given by attname, with the model's defaults for fields a row leaves out.

    COPY on PostgreSQL; batched executemany elsewhere. Model save() and signals are bypassed on
    purpose: this is test data, and a million save() calls would take minutes.
    """
    from django.db import connection

    fields = list(model._meta.concrete_fields)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    table = qn(model._meta.db_table)

    def values(row: dict[str, Any]) -> list[Any]:
        return [row[f.attname] if f.attname in row else f.get_default() for f in fields]

    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(fields))
        statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (names from _meta)
        chunk: list[list[Any]] = []
        for row in rows:
            chunk.append(
                [f.get_db_prep_save(v, connection) for f, v in zip(fields, values(row), strict=True)]
            )
            if len(chunk) >= batch:
                cursor.executemany(statement, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(statement, chunk)
            count += len(chunk)
    return count


def _reset_sequences(models: list[Any]) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _analyze(tables: list[Any] | None = None) -> None:
    """Statistics, and on PostgreSQL the visibility map autovacuum would build on a live table
    (without it, index-only scans visit the heap and COUNT(*) looks worse than it is).
    `tables`: these models' tables only (default: the whole database)."""
    from django.db import connection

    names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables or [])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {names}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


def _checkpoint() -> None:
    """On PostgreSQL, write the dirty pages out now rather than in a checkpoint during a measurement
    (seeding and vacuuming write a lot). Needs a superuser or pg_checkpoint; skipped without."""
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError as exc:
        print(f"[bench] no CHECKPOINT before the run: {exc}".strip())


# --- The catalog ---------------------------------------------------------------------------------


def catalog_matches(plan: Plan) -> bool:
    """Whether the database already holds exactly this plan's catalog (then seeding is skipped)."""
    from lms.courses.models import Course
    from lms.enrollments.models import Enrollment
    from lms.users.models import Role, User

    roles = {row["role"]: row["n"] for row in _count_by(User.objects.all(), "role")}
    return (
        roles.get(Role.INSTRUCTOR, 0) == plan.instructors
        and roles.get(Role.STUDENT, 0) == plan.students
        and Course.objects.count() == plan.courses
        and Course.objects.filter(pk=course_id(plan.courses - 1)).exists()
        and Enrollment.objects.exclude(source="payment").count() == plan.total_enrollments
        and User.objects.filter(email=student_email(0)).exists()
    )


def _count_by(queryset: Any, field: str) -> Any:
    from django.db.models import Count

    return queryset.order_by().values(field).annotate(n=Count("id"))


def _users(plan: Plan, password_hash: str, now: datetime) -> Iterator[dict[str, Any]]:
    from lms.users.models import Role

    for i in range(plan.instructors):
        yield {
            "id": instructor_id(i),
            "password": password_hash,
            "username": f"instructor{i}",
            "email": f"instructor{i}@{BENCH_EMAIL_DOMAIN}",
            "first_name": "Instructor",
            "last_name": str(i),
            "role": Role.INSTRUCTOR,
            "is_active": True,
            "date_joined": now,
        }
    for i in range(plan.students):
        yield {
            "id": student_id(plan, i),
            "password": password_hash,
            "username": f"student{i}",
            "email": student_email(i),
            "first_name": "Student",
            "last_name": str(i),
            "role": Role.STUDENT,
            "is_active": True,
            "date_joined": now,
        }


def _courses(plan: Plan, now: datetime) -> Iterator[dict[str, Any]]:
    rng = random.Random(6)  # noqa: S311 (test data, not secrets)
    # Spread over two years, newest last, so the default ordering walks a real index.
    start = now - timedelta(days=730)
    step = timedelta(days=730) / plan.courses
    for position in range(plan.courses):
        created = start + step * position
        words = " ".join(rng.choices(WORDS, k=14))
        yield {
            "id": course_id(position),
            "title": (
                f"{LEVELS[position % len(LEVELS)]} {TOPICS[(position // 3) % len(TOPICS)]} "
                f"{KINDS[(position // 7) % len(KINDS)]}"
            ),
            "description": f"Course {position}: {words}.",
            "price": course_price(position),
            "instructor_id": instructor_id(position % plan.instructors),
            "created_at": created,
            "updated_at": created,
        }


def _enrollments(plan: Plan, now: datetime) -> Iterator[dict[str, Any]]:
    next_id = 1
    for s in range(plan.students):
        for k, position in enumerate(plan.enrolled_positions(s)):
            yield {
                "id": next_id,
                "student_id": student_id(plan, s),
                "course_id": course_id(position),
                # Seeded enrollments are never "payment": the webhook benchmark owns those.
                "source": "free" if course_price(position) == 0 else "admin",
                "enrolled_at": now - timedelta(minutes=k + s),
                "ended_at": None,
            }
            next_id += 1


def seed_catalog(plan: Plan, *, reset: bool = False, log: Any = print) -> bool:
    """Seed users, courses and enrollments; returns False when the existing catalog was kept."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from lms.courses.models import Course
    from lms.enrollments.models import Enrollment
    from lms.users.models import User

    if not reset and catalog_matches(plan):
        log(f"seed: catalog of {plan.courses:,} courses already present, kept")
        return False
    started = time.monotonic()
    call_command("flush", interactive=False, verbosity=0)
    now = timezone.now()
    with transaction.atomic():
        users = _insert(User, _users(plan, make_password(BENCH_PASSWORD), now))
        courses = _insert(Course, _courses(plan, now))
        enrollments = _insert(Enrollment, _enrollments(plan, now))
        _reset_sequences([User, Course, Enrollment])
    _analyze()
    log(
        f"seed: {users:,} users ({plan.instructors:,} instructors), {courses:,} courses, "
        f"{enrollments:,} enrollments in {time.monotonic() - started:.1f}s"
    )
    return True


# --- Pending payments for the webhook benchmark ----------------------------------------------------


def payments_available() -> str | None:
    """None when the payments app can take webhooks, else why the webhook benchmark is skipped."""
    from django.apps import apps
    from django.db import connection
    from django.urls import NoReverseMatch, reverse

    if not apps.is_installed("lms.payments"):
        return "lms.payments is not in INSTALLED_APPS"
    try:
        from lms.payments.models import Payment, WebhookEvent
    except ImportError as exc:
        return f"lms.payments.models does not import ({exc})"
    tables = set(connection.introspection.table_names())
    missing = [m._meta.db_table for m in (Payment, WebhookEvent) if m._meta.db_table not in tables]
    if missing:
        return f"tables {', '.join(missing)} are missing (no migration yet?)"
    try:
        reverse("stripe-webhook")
    except NoReverseMatch:
        return "no URL named stripe-webhook (POST /api/payments/webhook/) is routed"
    return None


def seed_payments(plan: Plan, count: int, *, log: Any = print) -> int:
    """Replace every payment with `count` pending ones, each for a (student, paid course) not enrolled."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from lms.audit.models import AuditRecord
    from lms.enrollments.models import Enrollment
    from lms.payments.models import Payment, WebhookEvent

    started = time.monotonic()
    rng = random.Random(count)  # noqa: S311 (test data, not secrets)
    run = uuid.uuid4().hex[:8]
    now = timezone.now()
    chosen: set[tuple[int, int]] = set()
    enrolled_cache: dict[int, set[int]] = {}
    # At most half of the free (student, paid course) pairs, so picking at random ends quickly.
    count = min(count, plan.students * (plan.courses - plan.courses // FREE_EVERY - 30) // 2)

    def rows() -> Iterator[dict[str, Any]]:
        made = 0
        while made < count:
            s = rng.randrange(plan.students)
            position = rng.randrange(plan.courses)
            price = course_price(position)
            if price == 0 or (s, position) in chosen:
                continue
            if s not in enrolled_cache:
                enrolled_cache[s] = set(plan.enrolled_positions(s))
            if position in enrolled_cache[s]:
                continue
            chosen.add((s, position))
            made += 1
            yield {
                "id": made,
                "student_id": student_id(plan, s),
                "course_id": course_id(position),
                "amount": price,
                "currency": settings.LMS_CURRENCY,
                "status": Payment.Status.PENDING,
                "stripe_payment_intent": f"{INTENT_PREFIX}{run}_{made:08d}",
                "key": uuid.uuid4(),
                "created_at": now,
                "updated_at": now,
            }

    with transaction.atomic():
        WebhookEvent.objects.all().delete()
        Enrollment.objects.filter(source="payment").delete()
        Payment.objects.all().delete()
        # Every audit record here was written by an earlier run's webhook events (the seeded
        # enrollments have none). The trail is append-only for the application; the benchmark
        # resets its own database so that every run starts from the same state.
        table = connection.ops.quote_name(AuditRecord._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's own table name)
        written = _insert(Payment, rows())
        _reset_sequences([Payment, Enrollment, WebhookEvent, AuditRecord])
    # The rows an earlier run deleted or updated are dead until vacuumed, and bloat the indexes
    # the webhook writes to: each run would be slower than the one before.
    _analyze(tables=[Payment, Enrollment, WebhookEvent, AuditRecord])
    _checkpoint()
    log(f"seed: {written:,} pending payments in {time.monotonic() - started:.1f}s")
    return written


def clear_cache() -> None:
    """Forget cached pages of a previous catalog; only the benchmark's own keys are touched."""
    from django.core.cache import cache

    delete_pattern = getattr(cache, "delete_pattern", None)
    if delete_pattern is not None:  # django-redis: only keys under this KEY_PREFIX
        delete_pattern("*")
    else:
        cache.clear()


def main(argv: list[str] | None = None) -> int:
    from bench import env as bench_env

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--courses", type=int, default=10_000)
    parser.add_argument("--instructors", type=int, default=None)
    parser.add_argument("--students", type=int, default=None)
    parser.add_argument("--enrollments-per-student", type=int, default=5)
    parser.add_argument("--payments", type=int, default=0, help="pending payments for the webhook benchmark")
    parser.add_argument("--reset", action="store_true", help="seed again even if the catalog matches")
    args = parser.parse_args(argv)

    from django.core.management import call_command

    try:
        env = bench_env.make_env(db=args.db, cache="auto")
        bench_env.ensure_database(env.database_url)
    except bench_env.BenchSetupError as exc:
        print(exc, file=sys.stderr)
        return 2
    bench_env.setup_django(env)
    call_command("migrate", interactive=False, verbosity=0)
    plan = Plan.for_courses(
        args.courses,
        instructors=args.instructors,
        students=args.students,
        enrollments_per_student=args.enrollments_per_student,
    )
    seed_catalog(plan, reset=args.reset)
    if args.payments:
        reason = payments_available()
        if reason:
            print(f"seed: no payments seeded: {reason}")
        else:
            seed_payments(plan, args.payments)
    clear_cache()
    return 0


if __name__ == "__main__":
    sys.exit(main())
