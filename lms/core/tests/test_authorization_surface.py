"""The whole authorization surface: every endpoint x method x role, in one table.

`TABLE` holds a permission decision for every route under /api/ and every method its view
implements; `test_every_endpoint_has_a_permission_decision` walks the URL patterns and fails
when a route or a method has none, so no endpoint is added without one. Each cell is then
requested with a body that is valid for the role sending it, so a status reflects the rule
and not a validation error.

Roles: `student` owns the enrollment and the payments below, `other_student` owns nothing;
`owner` teaches every course below, `other_instructor` teaches none. Objects outside a
requester's scope are 404 (enrollments, payments); changing someone else's course is 403 (the
catalog is public); admin-only actions are 403 before any lookup.
"""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from rest_framework.views import APIView

from lms.audit.models import AuditRecord
from lms.certificates.models import Certificate
from lms.certificates.services import certificate_render
from lms.courses.models import Course, Lesson, Section
from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.services import enrollment_create
from lms.learning.services import lesson_attach_file, lesson_complete, lesson_create, section_create
from lms.payments.models import Payment, WebhookEvent
from lms.payments.services import payment_create
from lms.payments.tests.fixtures import succeeded_payment
from lms.payments.tests.test_gateway import sign
from lms.reviews.models import Review
from lms.reviews.services import review_create
from lms.users.models import Role, User
from lms.users.services import user_tokens, user_update
from lms.users.tests.factories import PASSWORD, StudentFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "student", "other_student", "owner", "other_instructor", "admin")
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
# HEAD answers as GET does, and OPTIONS is DRF's metadata behind the same checks: neither is a
# decision of its own.
IMPLICIT_METHODS = {"head", "options"}
NEW_PASSWORD = "An0ther-Long-Passphrase"
WEBHOOK_SECRET = "whsec_authorization_surface"
# Documents, not API resources: they answer errors in their own format (YAML, HTML), not JSON.
DOCUMENTS = {"schema", "docs"}
# Left out of the schema: the development checkout (lms/payments/local_checkout.py), which answers
# 404 unless local settings turn it on (lms/payments/tests/test_local_checkout.py covers it then).
DEVELOPMENT_ONLY = {"local-stripe-confirm"}


# --- The world every cell acts on ---------------------------------------------------------------


class World:
    """The users of every role, and the objects they act on, each made on first use.

    A cell builds only what it touches; the payments talk to localstripe.
    """

    def __init__(
        self, request: pytest.FixtureRequest, users: dict[str, User | None], make_client: Callable
    ) -> None:
        self._request = request
        self.users = users
        self._make_client = make_client

    def client(self, role: str) -> APIClient:
        return self._make_client(self.users[role])

    @property
    def owner(self) -> User:
        return self.users["owner"]

    @cached_property
    def member(self) -> User:
        """The account that admin user management and the token endpoints act on."""
        return StudentFactory(username="member", email="member@example.com")

    @cached_property
    def course(self) -> Course:
        """A course of `owner` without history, so the owner or an admin may delete it."""
        return CourseFactory(instructor=self.owner, title="Owned", price=Decimal("10.00"))

    @cached_property
    def free_course(self) -> Course:
        return FreeCourseFactory(instructor=self.owner)

    @cached_property
    def enrollment(self) -> Enrollment:
        course = CourseFactory(instructor=self.owner)
        return enrollment_create(
            student=self.users["student"], course=course, source=Enrollment.Source.PAYMENT
        )

    @cached_property
    def section(self) -> Section:
        """A section of the enrolled course (taught by `owner`), holding `lesson`. A second one
        holds another lesson, so the course (on sale) keeps one when these are deleted."""
        section = section_create(actor=self.owner, course=self.enrollment.course, title="Basics")
        more = section_create(actor=self.owner, course=self.enrollment.course, title="More")
        lesson_create(actor=self.owner, section=more, title="Second")
        return section

    @cached_property
    def lesson(self) -> Lesson:
        """A lesson for enrolled students only (no preview), with a file."""
        lesson = lesson_create(actor=self.owner, section=self.section, title="First", body="*Hello*")
        upload = SimpleUploadedFile("notes.txt", b"lesson notes")
        return lesson_attach_file(actor=self.owner, lesson=lesson, file=upload)

    @cached_property
    def certificate(self) -> Certificate:
        """The student's certificate: they complete the course's lessons; rendered."""
        for lesson in Lesson.objects.filter(section__course=self.enrollment.course).exclude(
            pk=self.lesson.pk
        ):
            lesson_complete(student=self.users["student"], lesson=lesson)
        lesson_complete(student=self.users["student"], lesson=self.lesson)
        certificate = Certificate.objects.get(enrollment=self.enrollment)
        return certificate_render(certificate_id=certificate.pk)

    @cached_property
    def audit_record(self) -> AuditRecord:
        return AuditRecord.objects.get(entity="enrollment", entity_id=self.enrollment.pk)

    @cached_property
    def review(self) -> Review:
        """The student's review of another course of `owner` (`enrollment`'s course has none yet)."""
        course = CourseFactory(instructor=self.owner)
        enrollment_create(student=self.users["student"], course=course, source=Enrollment.Source.PAYMENT)
        return review_create(student=self.users["student"], course=course, rating=4)

    def use_localstripe(self) -> None:
        """Point the gateway at localstripe (set up, and reset, once per test)."""
        self._request.getfixturevalue("localstripe_settings")

    @cached_property
    def unpaid_course(self) -> Course:
        """A paid course of `owner` that nobody has paid for yet."""
        return CourseFactory(instructor=self.owner, price=Decimal("30.00"))

    @cached_property
    def pending(self) -> Payment:
        self.use_localstripe()
        return payment_create(
            student=self.users["student"], course=CourseFactory(instructor=self.owner)
        ).payment

    @cached_property
    def paid(self) -> Payment:
        self.use_localstripe()
        return succeeded_payment(student=self.users["student"], course=CourseFactory(instructor=self.owner))


@pytest.fixture
def world(request, settings, make_client, users_by_role) -> World:
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return World(request, users_by_role, make_client)


# The object a detail route points at.
DETAIL_TARGETS: dict[str, Callable[[World], Any]] = {
    "user-detail": lambda w: w.member,
    "course-detail": lambda w: w.course,
    "enrollment-detail": lambda w: w.enrollment,
    "payment-detail": lambda w: w.pending,
    "payment-refund": lambda w: w.paid,
    "audit-detail": lambda w: w.audit_record,
    "curriculum": lambda w: w.section.course,
    "course-publish": lambda w: w.lesson.section.course,
    "course-unpublish": lambda w: w.lesson.section.course,
    "curriculum-order": lambda w: w.lesson.section.course,
    "section-create": lambda w: w.section.course,
    "section": lambda w: w.section,
    "lesson-create": lambda w: w.section,
    "lesson": lambda w: w.lesson,
    "lesson-file": lambda w: w.lesson,
    "lesson-complete": lambda w: w.lesson,
    "enrollment-progress": lambda w: w.enrollment,
    "certificate-detail": lambda w: w.certificate,
    "certificate-pdf": lambda w: w.certificate,
    "certificate-verify": lambda w: SimpleNamespace(pk=w.certificate.code),  # by its code
    "instructor-profile": lambda w: w.course.instructor,
    "local-stripe-confirm": lambda w: SimpleNamespace(pk="pi_surface"),
    "course-reviews": lambda w: w.enrollment.course,
    "course-review-summary": lambda w: w.review.course,
    "course-review-mine": lambda w: w.review.course,
    "review": lambda w: w.review,
}


def url(world: World, name: str) -> str:
    target = DETAIL_TARGETS.get(name)
    if target is None:
        return reverse(name)
    (kwarg,) = next(route.kwargs for route in ROUTES if route.name == name)
    return reverse(name, kwargs={kwarg: target(world).pk})


# --- Bodies valid for the role that sends them ---------------------------------------------------

Body = Callable[[World, str], dict | None]


def no_body(world: World, role: str) -> None:
    return None


def register_body(world: World, role: str) -> dict:
    return {"username": "newcomer", "email": "newcomer@example.com", "password": NEW_PASSWORD}


def login_body(world: World, role: str) -> dict:
    return {"email": world.member.email, "password": PASSWORD}


def refresh_body(world: World, role: str) -> dict:
    return {"refresh": user_tokens(user=world.member)["refresh"]}


def me_body(world: World, role: str) -> dict:
    return {"username": "renamed"}


def password_body(world: World, role: str) -> dict:
    return {"current_password": PASSWORD, "new_password": NEW_PASSWORD}


def user_put_body(world: World, role: str) -> dict:
    return {
        "username": "replaced",
        "email": "replaced@example.com",
        "role": Role.INSTRUCTOR,
        "is_active": True,
    }


def user_patch_body(world: World, role: str) -> dict:
    return {"role": Role.INSTRUCTOR}


def course_body(world: World, role: str) -> dict:
    body = {"title": "Written", "description": "By the table", "price": "20.00"}
    if role == "admin":  # an admin names the instructor; an instructor owns what they write
        body["instructor"] = world.owner.pk
    return body


def enroll_body(world: World, role: str) -> dict:
    if role == "admin":  # a complimentary enrollment of any student
        return {"student": world.users["other_student"].pk, "course": world.free_course.pk}
    return {"course": world.free_course.pk}


def pay_body(world: World, role: str) -> dict:
    world.use_localstripe()  # a permitted payment creates its intent there
    return {"course": world.unpaid_course.pk}


def webhook_body(world: World, role: str) -> dict:
    # An event type the app ignores: the signature is what is being checked, not the handler.
    return {
        "id": f"evt_surface_{role}",
        "object": "event",
        "created": int(time.time()),
        "livemode": False,
        "type": "customer.created",
        "data": {"object": {"id": "cus_surface", "object": "customer"}},
    }


def title_body(world: World, role: str) -> dict:
    return {"title": "Named by the table"}


def order_body(world: World, role: str) -> dict:
    """The course's whole curriculum, `section` last."""
    world.lesson  # noqa: B018  (made with its section, before the order is read)
    sections = Section.objects.filter(course=world.section.course).order_by("-position")
    return {
        "sections": [{"id": s.pk, "lessons": [lesson.pk for lesson in s.lessons.all()]} for s in sections]
    }


def review_body(world: World, role: str) -> dict:
    return {"rating": 5}


def review_patch_body(world: World, role: str) -> dict:
    # What each role may change when it is the author, the course's instructor or an admin.
    return {"student": {"rating": 2}, "owner": {"reply": "Thanks"}, "admin": {"is_hidden": True}}.get(
        role, {"rating": 1}
    )


def file_body(world: World, role: str) -> dict:
    return {"file": SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides")}


@dataclass(frozen=True)
class Rule:
    statuses: tuple[int, int, int, int, int, int]  # in the order of ROLES
    body: Body = no_body
    signed: bool = False  # the body carries a Stripe-Signature instead of a user's credentials
    multipart: bool = False  # the body is a form with a file


# (url name, method) -> status for anonymous, student, other_student, owner, other_instructor, admin
TABLE: dict[tuple[str, str], Rule] = {
    # Public: no user authentication.
    ("schema", "get"): Rule((200, 200, 200, 200, 200, 200)),
    ("docs", "get"): Rule((200, 200, 200, 200, 200, 200)),
    ("health", "get"): Rule((200, 200, 200, 200, 200, 200)),
    ("api-index", "get"): Rule((200, 200, 200, 200, 200, 200)),
    ("register", "post"): Rule((201, 201, 201, 201, 201, 201), register_body),
    ("login", "post"): Rule((200, 200, 200, 200, 200, 200), login_body),
    ("token-refresh", "post"): Rule((200, 200, 200, 200, 200, 200), refresh_body),
    ("logout", "post"): Rule((204, 204, 204, 204, 204, 204), refresh_body),
    # The web app's cookie endpoints refuse a request without the site's Origin, whoever sends it
    # (lms/users/tests/test_cookie_auth.py sends it).
    ("cookie-login", "post"): Rule((403, 403, 403, 403, 403, 403), login_body),
    ("cookie-refresh", "post"): Rule((403, 403, 403, 403, 403, 403)),
    ("cookie-logout", "post"): Rule((403, 403, 403, 403, 403, 403)),
    ("stripe-webhook", "post"): Rule((200, 200, 200, 200, 200, 200), webhook_body, signed=True),
    # Development only, and off here: the stand-in for Stripe's confirm call (DEVELOPMENT_ONLY).
    ("local-stripe-confirm", "post"): Rule((404, 404, 404, 404, 404, 404)),
    # The caller's own account.
    ("me", "get"): Rule((401, 200, 200, 200, 200, 200)),
    ("me", "patch"): Rule((401, 200, 200, 200, 200, 200), me_body),
    ("my-courses", "get"): Rule((401, 200, 200, 403, 403, 403)),
    ("password-change", "post"): Rule((401, 204, 204, 204, 204, 204), password_body),
    # Admin user management.
    ("user-list", "get"): Rule((401, 403, 403, 403, 403, 200)),
    ("user-list", "post"): Rule((401, 403, 403, 403, 403, 201), register_body),
    ("user-detail", "get"): Rule((401, 403, 403, 403, 403, 200)),
    ("user-detail", "put"): Rule((401, 403, 403, 403, 403, 200), user_put_body),
    ("user-detail", "patch"): Rule((401, 403, 403, 403, 403, 200), user_patch_body),
    ("user-detail", "delete"): Rule((401, 403, 403, 403, 403, 204)),
    # The catalog: public to read.
    ("course-list", "get"): Rule((200, 200, 200, 200, 200, 200)),
    ("course-list", "post"): Rule((401, 403, 403, 201, 201, 201), course_body),
    ("course-detail", "get"): Rule((200, 200, 200, 200, 200, 200)),
    ("course-detail", "put"): Rule((401, 403, 403, 200, 403, 200), course_body),
    ("course-detail", "patch"): Rule((401, 403, 403, 200, 403, 200), course_body),
    ("course-detail", "delete"): Rule((401, 403, 403, 204, 403, 204)),
    ("instructor-profile", "get"): Rule((200, 200, 200, 200, 200, 200)),
    # Enrollments.
    ("enrollment-list", "get"): Rule((401, 200, 200, 200, 200, 200)),
    ("enrollment-list", "post"): Rule((401, 201, 201, 403, 403, 201), enroll_body),
    ("enrollment-detail", "get"): Rule((401, 200, 404, 200, 404, 200)),
    ("enrollment-detail", "delete"): Rule((401, 403, 403, 403, 403, 204)),
    # Payments.
    ("payment-list", "get"): Rule((401, 200, 200, 200, 200, 200)),
    ("payment-list", "post"): Rule((401, 201, 201, 403, 403, 403), pay_body),
    ("payment-detail", "get"): Rule((401, 200, 404, 200, 404, 200)),
    ("payment-detail", "delete"): Rule((401, 403, 403, 403, 403, 204)),
    ("payment-refund", "post"): Rule((401, 403, 403, 403, 403, 200)),
    # The audit trail: admins read it, nobody writes it.
    ("audit-list", "get"): Rule((401, 403, 403, 403, 403, 200)),
    ("audit-detail", "get"): Rule((401, 403, 403, 403, 403, 200)),
    # Curricula: the outline is public, the content is for enrolled students, owners and admins.
    ("curriculum", "get"): Rule((200, 200, 200, 200, 200, 200)),
    ("course-publish", "post"): Rule((401, 403, 403, 200, 403, 200)),
    ("course-unpublish", "post"): Rule((401, 403, 403, 200, 403, 200)),
    ("curriculum-order", "put"): Rule((401, 403, 403, 200, 403, 200), order_body),
    ("section-create", "post"): Rule((401, 403, 403, 201, 403, 201), title_body),
    ("section", "patch"): Rule((401, 403, 403, 200, 403, 200), title_body),
    ("section", "delete"): Rule((401, 403, 403, 204, 403, 204)),
    ("lesson-create", "post"): Rule((401, 403, 403, 201, 403, 201), title_body),
    ("lesson", "get"): Rule((403, 200, 403, 200, 403, 200)),
    ("lesson", "patch"): Rule((401, 403, 403, 200, 403, 200), title_body),
    ("lesson", "delete"): Rule((401, 403, 403, 204, 403, 204)),
    ("lesson-file", "get"): Rule((403, 200, 403, 200, 403, 200)),
    ("lesson-file", "put"): Rule((401, 403, 403, 200, 403, 200), file_body, multipart=True),
    ("lesson-complete", "post"): Rule((401, 200, 403, 403, 403, 403)),
    ("lesson-complete", "delete"): Rule((401, 204, 403, 403, 403, 403)),
    ("enrollment-progress", "get"): Rule((401, 200, 404, 200, 404, 200)),
    # Certificates: the student's own, the course owner's, admins'; anyone verifies a code.
    ("certificate-list", "get"): Rule((401, 200, 200, 200, 200, 200)),
    ("certificate-detail", "get"): Rule((401, 200, 404, 200, 404, 200)),
    ("certificate-pdf", "get"): Rule((401, 200, 404, 200, 404, 200)),
    ("certificate-verify", "get"): Rule((200, 200, 200, 200, 200, 200)),
    # Reviews: public to read; a student enrolled now writes one; the author edits and deletes it,
    # the course's instructor replies, an admin hides it.
    ("course-reviews", "get"): Rule((200, 200, 200, 200, 200, 200)),
    ("course-reviews", "post"): Rule((401, 201, 403, 403, 403, 403), review_body),
    ("course-review-summary", "get"): Rule((200, 200, 200, 200, 200, 200)),
    # The caller's own review: only its author has one here.
    ("course-review-mine", "get"): Rule((401, 200, 404, 404, 404, 404)),
    ("review", "get"): Rule((200, 200, 200, 200, 200, 200)),
    ("review", "patch"): Rule((401, 200, 403, 200, 403, 200), review_patch_body),
    ("review", "delete"): Rule((401, 204, 403, 403, 403, 403)),
}

# A method a route does not implement: DRF authenticates and checks the view's permissions
# before it looks for a handler, so only those who pass them hear 405.
PUBLIC = (405, 405, 405, 405, 405, 405)
SIGNED_IN = (401, 405, 405, 405, 405, 405)
STAFF = (401, 403, 403, 405, 405, 405)
ADMIN = (401, 403, 403, 403, 403, 405)
STUDENT = (401, 405, 405, 403, 403, 403)
UNIMPLEMENTED_METHOD: dict[str, tuple[int, ...]] = {
    "schema": PUBLIC,
    "docs": PUBLIC,
    "health": PUBLIC,
    "api-index": PUBLIC,
    "register": PUBLIC,
    "login": PUBLIC,
    "token-refresh": PUBLIC,
    "logout": PUBLIC,
    "cookie-login": PUBLIC,
    "cookie-refresh": PUBLIC,
    "cookie-logout": PUBLIC,
    "stripe-webhook": PUBLIC,
    "local-stripe-confirm": PUBLIC,
    "me": SIGNED_IN,
    "my-courses": STUDENT,
    "instructor-profile": PUBLIC,
    "password-change": SIGNED_IN,
    "user-list": ADMIN,
    "user-detail": ADMIN,
    "course-list": STAFF,
    "course-detail": STAFF,
    "enrollment-list": SIGNED_IN,
    "enrollment-detail": SIGNED_IN,
    "payment-list": SIGNED_IN,
    "payment-detail": SIGNED_IN,
    "payment-refund": SIGNED_IN,
    "audit-list": ADMIN,
    "audit-detail": ADMIN,
    "curriculum": PUBLIC,
    "course-publish": STAFF,
    "course-unpublish": STAFF,
    "curriculum-order": STAFF,
    "section-create": STAFF,
    "section": STAFF,
    "lesson-create": STAFF,
    "lesson": STAFF,
    "lesson-file": STAFF,
    "lesson-complete": STUDENT,
    "enrollment-progress": SIGNED_IN,
    "certificate-list": SIGNED_IN,
    "certificate-detail": SIGNED_IN,
    "certificate-pdf": SIGNED_IN,
    "certificate-verify": PUBLIC,
    "course-reviews": PUBLIC,
    "course-review-summary": PUBLIC,
    "course-review-mine": SIGNED_IN,
    "review": SIGNED_IN,
}


# --- Walking the URL patterns ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    path: str  # the pattern as written, e.g. "api/courses/^(?P<pk>[^/.]+)/$"
    name: str | None
    methods: frozenset[str]
    kwargs: frozenset[str]


def _patterns(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _methods(pattern: URLPattern) -> set[str]:
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions is not None:  # a viewset: the router's method -> action mapping
        return set(actions)
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        raise AssertionError(f"{pattern!r} is a function view; make it a class so its methods can be read")
    return {m for m in view_class.http_method_names if hasattr(view_class, m)}


def walk_routes(prefix: str = "api/") -> list[Route]:
    routes = []
    for path, pattern in _patterns(get_resolver().url_patterns):
        if path.startswith(prefix):
            methods = frozenset(_methods(pattern) - IMPLICIT_METHODS)
            kwargs = frozenset(pattern.pattern.regex.groupindex)
            routes.append(Route(path, pattern.name, methods, kwargs))
    return routes


ROUTES = walk_routes()


def test_every_endpoint_has_a_permission_decision():
    unnamed = [route.path for route in ROUTES if not route.name]
    assert unnamed == [], "name these routes, so the table can hold their decision"
    assert len({route.name for route in ROUTES}) == len(ROUTES), "route names must be unique"

    served = {(route.name, method) for route in ROUTES for method in route.methods}
    missing = sorted(served - set(TABLE))
    stale = sorted(set(TABLE) - served)

    assert missing == [], f"endpoints without a permission decision in TABLE: {missing}"
    assert stale == [], f"TABLE names endpoints that no longer exist: {stale}"
    assert sorted(UNIMPLEMENTED_METHOD) == sorted(route.name for route in ROUTES)


def test_the_walk_sees_viewsets_and_api_views():
    """The walk itself works: it reads router actions and APIView handlers, and nothing else."""
    routes = {route.name: route for route in ROUTES}

    assert routes["enrollment-detail"].methods == {"get", "delete"}
    assert routes["payment-refund"].methods == {"post"}
    assert routes["me"].methods == {"get", "patch"}
    assert routes["stripe-webhook"].methods == {"post"}
    assert routes["user-detail"].kwargs == {"pk"}
    assert len(ROUTES) >= 21


def test_every_route_is_the_api_the_admin_site_or_the_web_app_page():
    """Routes outside /api/ escape the table, so only the Django admin site may live there, and the
    web app's page (the same static HTML for everyone, no data; lms/core/tests/test_web_app.py)."""
    others = [
        (path, pattern)
        for path, pattern in _patterns(get_resolver().url_patterns)
        if not path.startswith("api/")
    ]

    assert others
    not_admin = [(path, pattern.name) for path, pattern in others if not path.startswith("admin/")]
    assert [name for _, name in not_admin] == ["web-app"]


def test_every_view_is_a_drf_view():
    """Each /api/ view goes through DRF's authentication, permissions and throttles."""
    api = [
        (path, pattern) for path, pattern in _patterns(get_resolver().url_patterns) if path.startswith("api/")
    ]

    def is_drf(view_class: object) -> bool:
        return isinstance(view_class, type) and issubclass(view_class, APIView)

    assert api
    assert [path for path, pattern in api if not is_drf(getattr(pattern.callback, "cls", None))] == []


# --- Each cell ---------------------------------------------------------------------------------


def _send(
    client: APIClient, method: str, path: str, body: dict | None, *, signed: bool, multipart: bool = False
) -> Any:
    if multipart:
        return getattr(client, method)(path, body, format="multipart")
    raw = json.dumps(body) if body is not None else ""
    headers = {}
    if signed:
        headers["HTTP_STRIPE_SIGNATURE"] = sign(raw.encode(), secret=settings.STRIPE_WEBHOOK_SECRET)
    return client.generic(method.upper(), path, raw, content_type="application/json", **headers)


CELLS = [
    pytest.param(name, method, role, status, id=f"{name}-{method}-{role}-{status}")
    for (name, method), rule in TABLE.items()
    for role, status in zip(ROLES, rule.statuses, strict=True)
]


@pytest.mark.parametrize(("name", "method", "role", "status"), CELLS)
def test_permission_table(world, name, method, role, status):
    rule = TABLE[(name, method)]
    path = url(world, name)
    body = rule.body(world, role)

    r = _send(world.client(role), method, path, body, signed=rule.signed, multipart=rule.multipart)

    assert r.status_code == status, r.content
    if status >= 400 and name not in DOCUMENTS:
        assert set(r.json()) == {"detail", "code"}
        if name not in DEVELOPMENT_ONLY:
            assert r.json()["code"] in documented_codes(path, method, status), "the schema does not list it"


@functools.cache
def _schema_paths() -> list[tuple[re.Pattern, dict]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), operations)
        for path, operations in schema["paths"].items()
    ]


def documented_codes(path: str, method: str, status: int) -> list[str]:
    """The error `code`s the OpenAPI schema lists for this operation and status."""
    # The most literal path first: /api/users/me/ before /api/users/{id}/.
    matches = sorted(
        (pattern.pattern.count("[^/]+"), id(ops), ops)
        for pattern, ops in _schema_paths()
        if pattern.match(path)
    )
    operation = matches[0][2][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    return schema["properties"]["code"]["enum"]


UNIMPLEMENTED_CELLS = [
    pytest.param(route, method, role, status, id=f"{route.name}-{method}-{role}-{status}")
    for route in ROUTES
    for method in HTTP_METHODS
    if method not in route.methods
    for role, status in zip(ROLES, UNIMPLEMENTED_METHOD.get(route.name, PUBLIC), strict=True)
]


@pytest.mark.parametrize(("route", "method", "role", "status"), UNIMPLEMENTED_CELLS)
def test_methods_outside_the_table_are_refused(world, route, method, role, status):
    """No view quietly allows a method: one that is not in the table is 405 (or refused sooner)."""
    # Nothing is looked up before the method is refused, so any id will do.
    path = reverse(route.name, kwargs={kwarg: 1 for kwarg in route.kwargs})

    r = _send(world.client(role), method, path, {"title": "x"}, signed=False)

    assert r.status_code == status, r.content
    if route.name not in DOCUMENTS:
        assert set(r.json()) == {"detail", "code"}


HEAD_CELLS = [
    pytest.param(name, role, status, id=f"{name}-head-{role}-{status}")
    for (name, method), rule in TABLE.items()
    if method == "get"
    for role, status in zip(ROLES, rule.statuses, strict=True)
]


@pytest.mark.parametrize(("name", "role", "status"), HEAD_CELLS)
def test_head_answers_as_get(world, name, role, status):
    r = world.client(role).head(url(world, name))

    assert r.status_code == status


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_options_needs_the_same_authentication(world, route):
    """DRF's metadata describes an endpoint's input: an anonymous client hears only 401 on private ones."""
    path = reverse(route.name, kwargs={kwarg: 1 for kwarg in route.kwargs})

    r = world.client("anonymous").options(path)

    if UNIMPLEMENTED_METHOD[route.name] != PUBLIC:
        assert r.status_code == 401
    else:  # the Swagger page is HTML, with no metadata to describe
        assert r.status_code == (405 if route.name == "docs" else 200)


# --- Rules the table cannot show -------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_webhook_trusts_only_the_signature(world, role):
    """A user's token is no credential for Stripe's events, an admin's included."""
    r = _send(world.client(role), "post", reverse("stripe-webhook"), webhook_body(world, role), signed=False)

    assert r.status_code == 400
    assert r.json()["code"] == "invalid_signature"
    assert not WebhookEvent.objects.exists()


def test_authorization_follows_the_stored_role_not_the_token(world, django_capture_on_commit_callbacks):
    """A demoted admin's unexpired access token opens nothing that their new role does not."""
    demoted = world.users["admin"]
    client = world.client("admin")  # the token says role=admin
    assert client.get(reverse("user-list")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):  # as when the change commits
        user_update(user=demoted, role=Role.INSTRUCTOR)

    assert client.get(reverse("user-list")).status_code == 403
    assert client.get(reverse("audit-list")).status_code == 403
    assert client.patch(url(world, "user-detail"), {"role": Role.ADMIN}, format="json").status_code == 403
    world.member.refresh_from_db()
    assert world.member.role == Role.STUDENT


def test_a_deactivated_accounts_unexpired_token_opens_nothing(world, django_capture_on_commit_callbacks):
    student = world.users["student"]
    client = world.client("student")
    assert client.get(reverse("me")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):  # as when the change commits
        user_update(user=student, is_active=False)

    for name in ("me", "course-list", "enrollment-list", "payment-list"):
        assert client.get(reverse(name)).status_code == 401, name
    assert (
        client.post(reverse("enrollment-list"), {"course": world.free_course.pk}, format="json").status_code
        == 401
    )
    assert not Enrollment.objects.filter(course=world.free_course).exists()


@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, (302, 302, 302, 302, 302, 200), strict=True)))
def test_only_admins_reach_the_django_admin_site(world, role, status):
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])

    r = client.get("/admin/")

    assert r.status_code == status
    if status == 302:
        assert r["Location"].startswith("/admin/login/")
