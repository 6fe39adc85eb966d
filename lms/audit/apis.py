from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets

from lms.audit.filters import AuditRecordFilter
from lms.audit.models import AuditRecord
from lms.audit.serializers import AuditRecordSerializer
from lms.users.permissions import IsAdmin


@extend_schema(tags=["audit"])
class AuditRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The append-only trail of payment and enrollment status changes (admins only, read-only)."""

    permission_classes = [IsAdmin]
    serializer_class = AuditRecordSerializer
    filterset_class = AuditRecordFilter
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[AuditRecord]:
        return AuditRecord.objects.order_by("-created_at", "-id")
