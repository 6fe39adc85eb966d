from django_filters import rest_framework as filters

from lms.audit.models import AuditRecord


class AuditRecordFilter(filters.FilterSet):
    entity = filters.ChoiceFilter(choices=AuditRecord.Entity.choices)
    entity_id = filters.NumberFilter(min_value=1)
    actor = filters.NumberFilter(field_name="actor_id", min_value=1)
    via = filters.CharFilter(max_length=16)

    class Meta:
        model = AuditRecord
        fields = ["entity", "entity_id", "actor", "via"]
