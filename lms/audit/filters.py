from django_filters import rest_framework as filters

from lms.audit.models import AuditRecord
from lms.core.filters import ChoiceFilter, IdFilter


class AuditRecordFilter(filters.FilterSet):
    entity = ChoiceFilter(choices=AuditRecord.Entity.choices)
    entity_id = IdFilter()
    actor = IdFilter(field_name="actor_id")
    via = filters.CharFilter(max_length=16)

    class Meta:
        model = AuditRecord
        fields = ["entity", "entity_id", "actor", "via"]
