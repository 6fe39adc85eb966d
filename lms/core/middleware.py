from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

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
