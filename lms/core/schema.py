"""OpenAPI: every operation documents the error responses it can give, in one place."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import (
    ResolvedComponent,
    build_array_type,
    build_basic_type,
    build_object_type,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

# The `code`s a status carries on every operation that can give it; `errors()` adds an
# operation's own. The error body is always `{detail, code}` (400 may also be field errors).
COMMON_CODES: dict[str, tuple[str, ...]] = {
    "400": ("parse_error", "invalid_length"),
    "401": (
        "not_authenticated",
        "authentication_failed",
        "bad_authorization_header",
        "token_not_valid",
        "user_not_found",
        "user_inactive",
    ),
    "403": ("permission_denied",),
    "404": ("not_found",),
    "413": ("payload_too_large",),
    "415": ("unsupported_media_type",),
    "429": ("throttled",),
}
DESCRIPTIONS = {
    "401": "No valid access token: none was sent (on a private endpoint), or it is malformed, "
    "expired, or its account is gone or deactivated.",
    "403": "Your role may not do this.",
    "404": "No such object, or not one you may see; for a list, a page past the last one.",
    "413": "The request body is larger than the server accepts.",
    "415": "The request body is not of a media type the endpoint reads (JSON, unless it says so).",
    "429": "Too many requests: wait `Retry-After` seconds.",
}


def error_schema(codes: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The error body `{detail, code}`, with `code` one of `codes`."""
    return build_object_type(
        properties={
            "detail": {"type": "string", "description": "A message for people; it may change."},
            "code": {"type": "string", "enum": sorted(set(codes)), "description": "Stable, for programs."},
        },
        required=["detail", "code"],
    )


def errors(*codes: str, description: str = "") -> OpenApiResponse:
    """An operation's error response: `{detail, code}` with `code` one of `codes`."""
    return OpenApiResponse(error_schema(codes), description=description)


def _codes_of(body: dict[str, Any]) -> list[str] | None:
    schema = body.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("properties", {}).get("code", {}).get("enum")


MESSAGES = build_array_type(build_basic_type(OpenApiTypes.STR))
VALIDATION_ERROR_REF = {"$ref": "#/components/schemas/ValidationError"}
VALIDATION_ERROR_SCHEMA = build_object_type(
    properties={"non_field_errors": MESSAGES},
    # A nested field's errors nest the same way: an object for a nested object, and for a list
    # an object keyed by the index of each item that failed (or a list, one entry per item).
    additionalProperties={"anyOf": [MESSAGES, VALIDATION_ERROR_REF, build_array_type(VALIDATION_ERROR_REF)]},
    description=(
        "Field errors: each key is a field name, each value the list of its messages, or the "
        "errors of a nested object or list in the same shape."
    ),
)

BODY_METHODS = {"POST", "PUT", "PATCH"}

RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before the limit lets the next request through.",
    "schema": build_basic_type(OpenApiTypes.INT),
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        permissions = self.view.get_permissions()
        public = not permissions or any(isinstance(p, AllowAny) for p in permissions)
        codes: list[str] = []
        if self.method in BODY_METHODS:
            codes += ["400", "413", "415"]
        listing = self.method == "GET" and self._is_list_view()
        filtered = any(getattr(self.view, name, None) for name in ("filterset_class", "filterset_fields"))
        if listing and filtered:
            codes.append("400")  # a filter value django-filter refuses
        if not public:
            codes += ["401", "403"]
        elif self.view.get_authenticators():
            codes.append("401")  # a token is optional here, but one that is sent must be valid
        if "{" in self.path or (listing and self._get_paginator()):
            codes.append("404")  # no such object, or `?page=` past the last page
        if self.view.get_throttles():
            codes.append("429")
        for code in codes:
            common = [c for c in COMMON_CODES[code] if not public or c != "not_authenticated"]
            if code in responses:
                declared = _codes_of(responses[code])
                if declared is not None and code != "400":  # an operation's own 400 replaces the shape
                    content = responses[code]["content"]["application/json"]
                    content["schema"] = error_schema([*declared, *common])  # a new dict: others share it
                continue
            if code == "400":
                body = self._get_response_for_code(self._bad_request_schema(), "400")
            else:
                body = self._get_response_for_code(
                    OpenApiResponse(error_schema(common), description=DESCRIPTIONS[code]), code
                )
            if code == "429":
                body["headers"] = {"Retry-After": RETRY_AFTER_HEADER}
            responses[code] = body
        return dict(sorted(responses.items()))

    def _bad_request_schema(self) -> dict[str, Any]:
        """Field errors, or `{detail, code}` for a body that is not JSON or a bad Content-Length."""
        validation = ResolvedComponent(
            name="ValidationError",
            type=ResolvedComponent.SCHEMA,
            schema=VALIDATION_ERROR_SCHEMA,
            object="ValidationError",
        )
        self.registry.register_on_missing(validation)
        bad_request = ResolvedComponent(
            name="BadRequest",
            type=ResolvedComponent.SCHEMA,
            schema={"oneOf": [validation.ref, error_schema(COMMON_CODES["400"])]},
            object="BadRequest",
        )
        self.registry.register_on_missing(bad_request)
        return bad_request.ref
