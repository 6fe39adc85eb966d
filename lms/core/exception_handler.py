"""One place that turns every error into the API's stable JSON shape.

- 400 validation errors: ``{"field": ["message", ...], "non_field_errors": [...]}``
- everything else: ``{"detail": "message", "code": "machine_readable_code"}``
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from lms.core.exceptions import ApplicationError


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body is too large."
    default_code = "payload_too_large"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        headers = {"WWW-Authenticate": 'Bearer realm="api"'} if exc.status_code == 401 else None
        return Response({"detail": exc.detail, "code": exc.code}, status=exc.status_code, headers=headers)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(response.data, list):
            response.data = {"non_field_errors": response.data}
        return response
    if isinstance(exc, exceptions.APIException):
        detail, code = exc.detail, None
        if isinstance(detail, dict) and "detail" in detail:
            # simplejwt's errors are {"detail", "code", "messages"?}; keep the message and its code.
            detail, code = detail["detail"], detail.get("code")
        code = code or getattr(detail, "code", None) or exc.default_code
        response.data = {"detail": str(detail), "code": str(code)}
    return response
