"""The schema fuzzing stage (`@pytest.mark.fuzz`) runs only when LMS_FUZZ=1.

It takes minutes, so an ordinary `make test` deselects it (pytest counts and prints the
deselected tests, so nothing passes silently) and says how to run it. `.ci/run` sets LMS_FUZZ=1
for its PostgreSQL run.
"""

from __future__ import annotations

import os

import pytest

FUZZ_ENABLED = os.environ.get("LMS_FUZZ") == "1"
FUZZ_DESELECTED = pytest.StashKey[int]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if FUZZ_ENABLED:
        return
    fuzz = [item for item in items if item.get_closest_marker("fuzz")]
    if fuzz:
        items[:] = [item for item in items if not item.get_closest_marker("fuzz")]
        config.hook.pytest_deselected(items=fuzz)
        config.stash[FUZZ_DESELECTED] = len(fuzz)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    deselected = config.stash.get(FUZZ_DESELECTED, 0)
    if deselected:
        terminalreporter.write_line(
            f"schema fuzzing: {deselected} test(s) deselected; run them with LMS_FUZZ=1 "
            "(.ci/run does, on PostgreSQL)."
        )
