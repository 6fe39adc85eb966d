from rest_framework import serializers

from lms.audit.models import AuditRecord


class AuditRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditRecord
        fields = [
            "id",
            "entity",
            "entity_id",
            "from_status",
            "to_status",
            "actor",
            "stripe_event_id",
            "via",
            "created_at",
        ]
        read_only_fields = fields
