from __future__ import annotations

from typing import Any

from rest_framework import serializers


class InputSerializer(serializers.Serializer):
    """Validates request bodies and refuses fields it does not know.

    DRF silently drops unknown and read-only keys; a client that sends `role`, `student`
    or `status` should hear that the value was not accepted rather than guess. `unknown_field_hints`
    gives a refused field a message of its own (say, which field to send instead).
    """

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
