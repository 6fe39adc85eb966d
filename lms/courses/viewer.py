"""What a course shows the signed-in student about themselves: `is_enrolled` and `payment_status`.

The catalog knows nothing of enrollments or money (dependencies point courses <- enrollments <-
payments), so the payments app, which knows both, registers the reader when Django starts
(`PaymentsConfig.ready`), and forgets a student's cached flags when one of their enrollments or
payments changes (on commit). They are cached, all of a student's at once, with a shared cache
only (VIEWER_CACHE_SECONDS): the catalog then reads them in the same round trip as its page.

Everyone but a student (anonymous visitors, instructors, admins) sees `false` and `null`: the
catalog page they get is the one shared by all, so it carries no one's flags.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from rest_framework.renderers import JSONRenderer

from lms.users.models import User

# Payment.status's values, which this app may not import; tests/test_viewer.py checks they match.
PAYMENT_STATUSES = ("pending", "succeeded", "failed", "canceled", "refunded")


@dataclass(frozen=True)
class ViewerState:
    is_enrolled: bool = False  # an active enrollment
    payment_status: str | None = None  # the status of the student's latest payment for the course


NOBODY = ViewerState()


class Reader(Protocol):
    def __call__(self, *, student: User) -> dict[int, ViewerState]: ...


_reader: Reader | None = None


def register_reader(reader: Reader) -> None:
    global _reader  # one reader for the process, set once at start-up
    _reader = reader


def viewer_key(user: User) -> str | None:
    """The cache key of a student's flags; None when they are not cached (or not a student's)."""
    if settings.VIEWER_CACHE_SECONDS and user.is_authenticated and user.is_student:
        return f"viewer:{user.pk}"
    return None


def viewer_forget(student_id: int) -> None:
    """Forget a student's cached flags; call it after their enrollment or payment change commits."""
    cache.delete(f"viewer:{student_id}")


def viewer_states(
    *, user: User, course_ids: Iterable[int], cached: dict[int, ViewerState] | None = None
) -> dict[int, ViewerState]:
    """The student's flags for those of these courses where they differ from NOBODY: `cached`
    (what the cache held under `viewer_key`), else read (one query) and cached; nothing for
    anyone else or for no course."""
    ids = set(course_ids)
    if not (ids and user.is_authenticated and user.is_student and _reader is not None):
        return {}
    states = cached
    if states is None:
        key = viewer_key(user)
        states = cache.get(key) if key else None
        if states is None:
            states = _reader(student=user)
            if key:
                cache.set(key, states, settings.VIEWER_CACHE_SECONDS)
    return {course: state for course, state in states.items() if course in ids}


def apply_states(items: Iterable[dict[str, Any]], states: dict[int, ViewerState]) -> None:
    """Write the flags into serialized courses (each has `id`, `is_enrolled`, `payment_status`)."""
    for item in items:
        state = states.get(item["id"], NOBODY)
        item["is_enrolled"] = state.is_enrolled
        item["payment_status"] = state.payment_status


def personalize(
    content: bytes,
    *,
    user: User,
    course_ids: list[int],
    many: bool,
    cached: dict[int, ViewerState] | None = None,
) -> bytes:
    """The shared rendered page (or course) with this viewer's flags: the same bytes when they
    have none on it (the common case), else parsed, changed and rendered again."""
    states = viewer_states(user=user, course_ids=course_ids, cached=cached)
    if not states:
        return content
    body = json.loads(content)
    apply_states(body["results"] if many else [body], states)
    return JSONRenderer().render(body)


def course_ids_of(data: Any, *, many: bool) -> list[int]:
    items: list[dict[str, Any]] = data["results"] if many else [data]
    return [item["id"] for item in items]
