from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class InputSerializer(serializers.Serializer):
    """A request body. A field not listed here is refused (400), never silently ignored."""

    # The docstring above is the OpenAPI description of every request body, so it speaks to
    # clients. Why: DRF silently drops unknown and read-only keys; a client that sends `role`,
    # `student` or `status` should hear that the value was not accepted rather than guess.
    # `unknown_field_hints` gives a refused field a message of its own (say, which field to send
    # instead).

    unknown_field_hints: dict[str, str] = {}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [self.unknown_field_hints.get(name, "This field cannot be set.")]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object by its id: a JSON integer, or a string of ASCII digits (as a form sends).

    DRF's field would read 1.9 as id 1, a full-width "1" (U+FF11) as 1 and 1e999 as a 500; these
    are refused (400) instead, so a client never gets another object than the one it named.
    """

    def to_internal_value(self, data: Any) -> Any:
        digits = isinstance(data, str) and data.isascii() and data.isdigit()
        if isinstance(data, bool) or not (isinstance(data, int) or digits):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(int(data))


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^\d{1,6}(?:\.\d{1,2})?$", "example": "49.00"}
)
class MoneyField(serializers.DecimalField):
    """An amount of money: a decimal string ("120.00"), never negative, at most 999999.99.

    Sent as a string with two places; read from a string or a number. (The schema says what a
    generator and Swagger UI show: a plain DecimalField documents negative amounts.)
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", Decimal("999999.99"))
        super().__init__(max_digits=8, decimal_places=2, **kwargs)


class ComponentHealthSerializer(serializers.Serializer):
    ok = serializers.BooleanField()


class StripeHealthSerializer(serializers.Serializer):
    secret_key_configured = serializers.BooleanField()
    webhook_secret_configured = serializers.BooleanField()


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "unavailable"])
    database = ComponentHealthSerializer()
    cache = ComponentHealthSerializer()
    stripe = StripeHealthSerializer()


class ApiIndexSerializer(serializers.Serializer):
    version = serializers.CharField(help_text="The API's version, as in the OpenAPI schema.")
    docs = serializers.URLField(help_text="Swagger UI.")
    schema = serializers.URLField(help_text="The OpenAPI 3 schema (YAML; `?format=json` for JSON).")
    health = serializers.URLField(help_text="Database and cache status.")
