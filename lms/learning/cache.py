"""The read cache of course outlines and lessons, which anonymous visitors and students share.

What is cached is what the course's managers wrote: the outline, each lesson as the API renders
it, and the course facts the access rules read (its status, its instructor and whether they are
active). Who may see them is still decided on every request, by the same selectors, over those
facts; the one fact that is the reader's own, an active enrollment, is read from the database
each time, so ending an enrollment or a refund removes access at once.

An entry is served only while two versions are what they were when it was built:
- the catalog's (catalog_cache.py), which every course change bumps: publishing, unpublishing,
  deleting, an instructor deactivated;
- the course's curriculum token, which every section or lesson change deletes after it commits
  (`curriculum_changed`, called by the services); the next reader makes a new, random one.
Both are read before the database, so rows read while a change commits are retired with it. As
with the catalog, per-process local memory (no Redis) lets other workers serve an entry for up
to CATALOG_CACHE_SECONDS after a change; a shared cache retires it at once. Instructors and
admins, who make the changes, always read the database.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request

from lms.courses.catalog_cache import VERSION_KEY as CATALOG_VERSION_KEY
from lms.courses.catalog_cache import catalog_version

TOKEN_SECONDS = 24 * 3600


@dataclass(frozen=True)
class _Entry:
    catalog_version: int
    token: str  # the course's curriculum token
    course_id: int
    value: Any


def _token_key(course_id: int) -> str:
    return f"curriculum:{course_id}:token"


def _token(course_id: int) -> str:
    key = _token_key(course_id)
    token = cache.get(key)
    if token is None:
        # Outlives the entries made with it; when it expires, they are retired with it. A token
        # that never expired would stay for every course id anyone asked for, existing or not.
        cache.add(key, uuid.uuid4().hex, timeout=TOKEN_SECONDS)
        token = cache.get(key, "")
    return token


def curriculum_changed(course_id: int) -> None:
    """Retire the course's cached outline and lessons; call it after the change commits."""
    cache.delete(_token_key(course_id))


def _fresh(entry: _Entry | None, catalog: int | None, token: str | None) -> bool:
    return entry is not None and entry.catalog_version == catalog and entry.token == token


def _build(key: str, course_id: int, build: Callable[[], Any]) -> Any:
    """Read the versions, then the database (`build`), and store what it gave with them. Nothing
    is left for what is not there (a 404): not even the token, so unknown ids fill no cache."""
    catalog, token = catalog_version(), _token(course_id)
    value = build()
    if value is None:
        cache.delete(_token_key(course_id))  # at worst retires entries that would have been rebuilt
    else:
        cache.set(key, _Entry(catalog, token, course_id, value), settings.CATALOG_CACHE_SECONDS)
    return value


def cached_outline(course_id: int, build: Callable[[], Any]) -> Any:
    """The course's entry (one round trip when fresh), else `build()`'s, stored; None is not stored."""
    key = f"curriculum:{course_id}:outline"
    found = cache.get_many([CATALOG_VERSION_KEY, _token_key(course_id), key])
    entry = found.get(key)
    if _fresh(entry, found.get(CATALOG_VERSION_KEY), found.get(_token_key(course_id))):
        return entry.value
    return _build(key, course_id, build)


def cached_lesson(
    request: Request, lesson_id: int, course_id_of: Callable[[], int | None], build: Callable[[], Any]
) -> Any:
    """The lesson's entry (two round trips when fresh: the entry names its course, whose token
    is then read), else `build()`'s, stored. A lesson never changes course, so a stale entry
    still says which course to read the versions of; `course_id_of()` asks the database when
    there is none. Keyed by scheme and host too: the lesson's `file_url` is absolute."""
    origin = hashlib.sha256(f"{request.scheme}://{request.get_host()}".encode()).hexdigest()[:16]
    key = f"curriculum:lesson:{lesson_id}:{origin}"
    found = cache.get_many([CATALOG_VERSION_KEY, key])
    entry = found.get(key)
    if entry is not None:
        if _fresh(entry, found.get(CATALOG_VERSION_KEY), cache.get(_token_key(entry.course_id))):
            return entry.value
    course_id = entry.course_id if entry is not None else course_id_of()
    if course_id is None:
        return None
    return _build(key, course_id, build)
