"""Structured logging: one JSON object per line, each tagged with the id of the request it belongs to.

No log line may carry a secret. The code never logs request bodies or headers (Django's
``django.request`` logger writes only the path); as a second line of defence every formatted line
goes through ``redact``, which masks tokens, Stripe secrets, card numbers and ``password=...``-like
pairs in the message and the exception text.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

REDACTED = "[REDACTED]"

# Every pattern runs in linear time on any input. A pattern that may start inside a run of the
# characters it repeats would rescan that run from every position (quadratic: a 4 KB URL cost 0.6 s),
# so each one may only start where such a run starts (the lookbehinds), and quoted values are bounded.
_TOKEN_CHARS = r"[A-Za-z0-9._~+/=-]+"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # JSON Web Tokens (access and refresh tokens): base64url header "{"... and two more segments.
    (re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
    (re.compile(rf"(?i)\b(bearer|basic)\s+{_TOKEN_CHARS}"), rf"\1 {REDACTED}"),
    # Stripe secret and restricted keys, webhook secrets, PaymentIntent client secrets.
    (re.compile(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]+"), REDACTED),
    (re.compile(r"\bwhsec_[A-Za-z0-9]+"), REDACTED),
    (re.compile(r"\b(?:pi|seti)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+"), REDACTED),
    # key=value, key: value and "key": "value" pairs whose key names a secret.
    (
        re.compile(
            r"""(?ix)
            (["']?(?<![\w-])[\w-]*(?:password|passwd|secret|token|refresh|access|authorization|api[_-]?key)["']?
             \s*[:=]\s*)
            ("(?:[^"\\\n]|\\.){0,1024}"|'[^'\n]{0,1024}'|[^\s,;&}\]]+)
            """
        ),
        rf"\1{REDACTED}",
    ),
]
# Runs of 13 to 19 digits, optionally grouped by spaces or dashes: candidate card numbers.
_CARD = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")

# What one log line may carry of a message, and of a traceback; the rest is cut before redaction.
MAX_MESSAGE_CHARS = 4096
MAX_EXCEPTION_CHARS = 16384


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return REDACTED if _luhn_ok(digits) else match.group()


def redact(text: str, limit: int | None = MAX_MESSAGE_CHARS) -> str:
    """Mask anything in ``text`` that looks like a credential or a card number.

    Text beyond ``limit`` characters is dropped first (``None``: keep it all), with any digits the
    cut leaves at the end, so that no card number survives cut short of what ``_CARD`` recognises.
    """
    if limit is not None and len(text) > limit:
        text = f"{text[:limit].rstrip('0123456789 -')}...[{len(text) - limit} more characters]"
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _CARD.sub(_mask_card, text)


def set_request_id(request_id: str) -> None:
    request_id_var.set(request_id)


def clear_request_id(**kwargs: Any) -> None:
    """Forget the request id once the response is finished (a ``request_finished`` receiver).

    Not earlier: Django logs 4xx/5xx responses after the middleware chain has returned.
    """
    request_id_var.set(None)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True


class PlainFormatter(logging.Formatter):
    """Human-readable lines for development, redacted like the JSON ones."""

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get() or "-"
        return redact(super().format(record), MAX_EXCEPTION_CHARS)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp, level, logger, message, request_id, and exception text."""

    # Extra attributes worth keeping; everything else on a record (the request object) stays out.
    EXTRA_FIELDS = ("status_code",)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or request_id_var.get() or "-",
        }
        for name in self.EXTRA_FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, str | int | float | bool):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info), MAX_EXCEPTION_CHARS)
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info), MAX_EXCEPTION_CHARS)
        return json.dumps(entry, ensure_ascii=False)
