from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import is_valid_path

from lms.core.log import set_request_id

# An id a client or proxy may hand in; anything else could forge or bloat log lines.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class RequestIdMiddleware:
    """Tag the request with an id (the caller's X-Request-ID if sane, else a new one) for logs and reply.

    The id is cleared on ``request_finished`` (see CoreConfig.ready), not here: Django logs error
    responses after the middleware chain has returned.
    """

    header = "X-Request-ID"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(self.header, "")
        request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        set_request_id(request_id)
        response = self.get_response(request)
        response[self.header] = request_id
        return response


# The one route that takes files (a lesson's), whose bodies may reach LMS_MAX_UPLOAD_BYTES instead.
UPLOAD_PATH = re.compile(r"/api/lessons/\d+/file/?")


class BodySizeLimitMiddleware:
    """Refuse a declared body larger than DATA_UPLOAD_MAX_MEMORY_SIZE before anything reads it.

    Django enforces that limit only for form data and ``request.body``; DRF's parsers read the
    stream directly, so without this a JSON body of any size would be read into memory. File
    uploads are streamed to disk by Django's upload handlers, under their own limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        uploading = request.method == "PUT" and UPLOAD_PATH.fullmatch(request.path_info)
        limit = settings.LMS_MAX_UPLOAD_BYTES if uploading else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse(
                {"detail": "Invalid Content-Length header.", "code": "invalid_length"}, status=400
            )
        if limit is not None and length > limit:
            return JsonResponse(
                {"detail": f"Request body is too large (limit {limit} bytes).", "code": "payload_too_large"},
                status=413,
            )
        return self.get_response(request)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info == "/api" or request.path_info.startswith("/api/")


class ApiSlashMiddleware:
    """Serve `/api/courses` as `/api/courses/`: every API route answers with or without the slash.

    Django's APPEND_SLASH answers a 301 instead (a 500 for a POST with DEBUG on), and fetch and
    axios follow a 301 as a GET, so a POST without the slash would list instead of create. The
    URL patterns, and so the schema, keep the one slash form.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if _is_api(request) and not path.endswith("/"):
            urlconf = getattr(request, "urlconf", None)
            if not is_valid_path(path, urlconf) and is_valid_path(f"{path}/", urlconf):
                request.path_info = f"{path}/"
                request.path = f"{request.path}/"
        return self.get_response(request)


# Django's error pages are HTML (its debug pages HTML or plain text); these are the API's codes
# for the statuses whose name does not give it (else "Not Found" gives "not_found").
ERROR_CODES = {403: "permission_denied", 413: "payload_too_large", 500: "server_error"}


def api_error(status: int) -> JsonResponse:
    """The API's `{detail, code}` error for an HTTP status."""
    phrase = HTTPStatus(status).phrase
    code = ERROR_CODES.get(status, phrase.lower().replace(" ", "_").replace("-", "_"))
    return JsonResponse({"detail": f"{phrase.capitalize()}.", "code": code}, status=status)


class ApiJsonErrorsMiddleware:
    """Turn Django's own error pages under /api/ into the API's JSON error, whatever DEBUG says.

    DRF answers its views' errors in JSON already. What reaches here as a page is Django's: an
    unknown path or an id the URL pattern refuses (404), an exception outside DRF's handling (500;
    Django has logged it with its traceback before this runs), a bad Host header (400). With
    DEBUG on those are the technical debug pages, which handler404/handler500 never replace.
    Other paths (the admin site) keep Django's pages.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code < 400 or not _is_api(request) or not content_type.startswith("text/"):
            return response
        error = api_error(response.status_code)
        # Keep what inner middleware added (security headers, the CSP, Vary, Allow); not the body's.
        for header, value in response.items():
            if header.lower() not in ("content-type", "content-length"):
                error[header] = value
        error.cookies = response.cookies
        return error
