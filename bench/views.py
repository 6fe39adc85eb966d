from __future__ import annotations

from django.http import HttpRequest, JsonResponse


def hello(request: HttpRequest) -> JsonResponse:
    """The floor: a Django request through the full middleware stack that does no work."""
    return JsonResponse({"ok": True})
