"""Schema fuzzing: schemathesis against the live `/api/schema/`, as each role in turn.

A live server (Django's LiveServerThread) serves the API from this process, on the test database.
The schemathesis CLI (`st run`, in a subprocess) reads the schema from it and sends, for every
operation, the schema's examples, boundary cases and random inputs, valid and invalid. No
response may be a 5xx, and each must be documented: its status code, content type, headers and
body are among those the schema gives for the operation.

Throttling is off and Stripe is the session's localstripe, so a 429 or a 5xx can only come from
the code under test. The webhook answers 400 to fuzzed events (none carries a valid signature),
which its schema documents.

The CLI rather than `schemathesis.pytest.from_fixture`: the latter sets `Function._nodeid`, which
pytest 9.2 no longer has. The CLI also runs every phase (examples, coverage, fuzzing, stateful).

Deselected unless `LMS_FUZZ=1` (conftest.py); `.ci/run` sets it for the PostgreSQL run.
`LMS_FUZZ_SEED` picks another seed than the fixed one CI uses, to look for new failures.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.payments import gateway, services
from lms.users.models import User
from lms.users.services import user_tokens
from lms.users.tests.factories import AdminFactory, InstructorFactory, StudentFactory

pytestmark = pytest.mark.fuzz

ROLES = ["anonymous", "student", "instructor", "admin"]
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]
# Random examples per operation in the fuzzing phase; the coverage phase adds its boundary cases.
MAX_EXAMPLES = 25
SEED = int(os.environ.get("LMS_FUZZ_SEED") or 20261127)
TIMEOUT_SECONDS = 600
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def fuzz_settings(settings, localstripe_settings):
    """No rate limit (a 429 would hide what the fuzzer looks for), and Stripe at localstripe."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": dict.fromkeys(rates)}
    return settings


@pytest.fixture
def world(django_db_reset_sequences, fuzz_settings) -> dict[str, User]:
    """One user per role and a little of everything, with small ids the fuzzer's integers hit."""
    users = {"student": StudentFactory(), "instructor": InstructorFactory(), "admin": AdminFactory()}
    other_student = StudentFactory()
    paid = CourseFactory(instructor=users["instructor"])
    free = FreeCourseFactory(instructor=users["instructor"])
    CourseFactory()
    EnrollmentFactory(student=users["student"], course=free, source=Enrollment.Source.FREE)
    services.payment_create(student=users["student"], course=paid)  # pending, with an intent
    succeeded = services.payment_create(student=other_student, course=paid).payment
    gateway.confirm_test_payment(succeeded.stripe_payment_intent)
    services.payment_sync(payment=succeeded)
    return users


class NoDelayWSGIServer(ThreadedWSGIServer):
    """Django's test server, without Nagle's algorithm on its connections.

    It writes a response's headers and body separately; with Nagle on, a keep-alive client (as
    schemathesis is) then waits for its own delayed ACK, about 40 ms, on every request.
    """

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class FuzzServerThread(LiveServerThread):
    server_class = NoDelayWSGIServer


@pytest.fixture
def api_server(django_db_reset_sequences) -> Iterator[str]:
    """The API on a free port of 127.0.0.1, on the test database (as pytest-django's live_server).

    Each request thread opens its own connection: SQLite's test database is a file too
    (config/settings/test.py), so no connection has to be shared with the server's threads.
    """
    thread = FuzzServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()


def schema_operations(url: str) -> set[str]:
    """`METHOD /path` of every operation the live schema describes."""
    with urllib.request.urlopen(f"{url}/api/schema/?format=json", timeout=10) as response:
        paths = json.load(response)["paths"]
    return {f"{method.upper()} {path}" for path, item in paths.items() for method in HTTP_METHODS & set(item)}


def schemathesis_command(*, url: str, token: str | None, junit: Path) -> list[str]:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--no-color",
        "run",
        f"{url}/api/schema/?format=json",
        f"--checks={','.join(CHECKS)}",
        f"--max-examples={MAX_EXAMPLES}",
        f"--seed={SEED}",
        "--generation-database=none",
        # One worker: Python 3.11's `ast` keeps its recursion depth per interpreter, not per thread,
        # so two workers' Hypothesis threads parsing source at once (to describe a lambda) can fail
        # with "SystemError: AST constructor recursion depth mismatch", a tool error, not the API's.
        "--workers=1",
        "--request-timeout=30",
        "--report=junit",
        f"--report-junit-path={junit}",
    ]
    if token is not None:
        command.append(f"--header=Authorization: Bearer {token}")
    return command


@pytest.mark.parametrize("role", ROLES)
def test_api_conforms_to_schema(role, world, api_server, tmp_path):
    token = None if role == "anonymous" else user_tokens(user=world[role])["access"]
    junit = tmp_path / "junit.xml"

    result = subprocess.run(
        schemathesis_command(url=api_server, token=token, junit=junit),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        cwd=tmp_path,  # no schemathesis.toml or report directory from elsewhere
        check=False,
    )

    print(result.stdout, result.stderr, sep="\n")  # the report, shown with -s or when the test fails
    exit_code = result.returncode
    assert exit_code == 0, f"schemathesis found failures as {role}: see its report above"
    # Every operation was exercised: none left out, none skipped.
    report = ElementTree.parse(junit).getroot()
    assert schema_operations(api_server) <= {case.get("name") for case in report.iter("testcase")}
    assert (report.get("errors"), report.get("failures"), report.get("skipped")) == ("0", "0", "0")
