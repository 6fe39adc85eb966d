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
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


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
        codes: list[int] = []
        if self.method in BODY_METHODS:
            codes += [400, 413, 415]
        listing = self.method == "GET" and self._is_list_view()
        filtered = any(getattr(self.view, name, None) for name in ("filterset_class", "filterset_fields"))
        if listing and filtered:
            codes.append(400)  # a filter value django-filter refuses
        if not public:
            codes += [401, 403]
        if "{" in self.path or (listing and self._get_paginator()):
            codes.append(404)  # no such object, or `?page=` past the last page
        if self.view.get_throttles():
            codes.append(429)
        for code in codes:
            if str(code) in responses:
                continue
            if code == 400:
                body = self._get_response_for_code(self._bad_request_schema(), "400")
            else:
                body = self._get_response_for_code(ErrorSerializer, str(code))
            if code == 429:
                body["headers"] = {"Retry-After": RETRY_AFTER_HEADER}
            responses[str(code)] = body
        return dict(sorted(responses.items()))

    def _bad_request_schema(self) -> dict[str, Any]:
        """Field errors, or `{detail, code}` for a body that is not JSON or a bad Content-Length."""
        error = self.resolve_serializer(ErrorSerializer, "response").ref
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
            schema={"oneOf": [validation.ref, error]},
            object="BadRequest",
        )
        self.registry.register_on_missing(bad_request)
        return bad_request.ref
