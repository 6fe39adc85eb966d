from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from lms.certificates.models import Certificate
from lms.certificates.rendering import verify_url


class CertificateSerializer(serializers.ModelSerializer):
    student = serializers.IntegerField(source="enrollment.student_id", read_only=True)
    course = serializers.IntegerField(source="enrollment.course_id", read_only=True)
    status = serializers.ChoiceField(choices=Certificate.Status.choices, read_only=True)
    verify_url = serializers.SerializerMethodField(help_text="The public page that verifies the code.")
    pdf_url = serializers.SerializerMethodField(help_text="The PDF download; null until it is rendered.")

    class Meta:
        model = Certificate
        fields = [
            "id",
            "enrollment",
            "student",
            "course",
            "student_name",
            "course_title",
            "instructor_name",
            "completed_at",
            "issued_at",
            "revoked_at",
            "status",
            "code",
            "verify_url",
            "pdf_url",
        ]
        read_only_fields = fields

    def get_verify_url(self, certificate: Certificate) -> str:
        return verify_url(certificate.code)

    def get_pdf_url(self, certificate: Certificate) -> str | None:
        if certificate.status != Certificate.Status.READY:
            return None
        path = reverse("certificate-pdf", kwargs={"pk": certificate.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class VerificationSerializer(serializers.Serializer):
    """What anyone holding the code may learn: no email, no ids."""

    student_name = serializers.CharField()
    course_title = serializers.CharField()
    completed_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=["valid", "revoked"])
