from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.text import slugify
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.certificates import selectors, services
from lms.certificates.models import Certificate
from lms.certificates.serializers import CertificateSerializer, VerificationSerializer
from lms.certificates.throttling import CertificateVerifyThrottle
from lms.core.exceptions import NotFound
from lms.core.schema import errors
from lms.core.throttling import AnonRateThrottle, UserRateThrottle


@extend_schema(tags=["certificates"])
class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Certificates, scoped to the requester (their own; an instructor's courses'; all for admins);
    anything outside that scope is 404."""

    serializer_class = CertificateSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Certificate]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Certificate.objects.none()
        return selectors.certificate_list_for(user=self.request.user)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(description="The certificate as a PDF."),
            409: errors("certificate_pending", description="Not rendered yet: try again shortly."),
            410: errors("certificate_revoked", description="A refund or an ended enrollment revoked it."),
        },
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str) -> FileResponse:
        certificate = services.certificate_pdf(certificate=self.get_object())
        name = f"certificate-{slugify(certificate.course_title) or certificate.pk}.pdf"
        return FileResponse(
            certificate.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
        )


@extend_schema(tags=["certificates"])
class CertificateVerifyApi(APIView):
    """Anyone holding a code learns whether it is a valid certificate, and for whom."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle, CertificateVerifyThrottle]

    @extend_schema(responses={200: VerificationSerializer})
    def get(self, request: Request, code: str) -> Response:
        certificate = selectors.certificate_by_code(code=code)
        if certificate is None:
            raise NotFound("No certificate has this code.")
        data = {
            "student_name": certificate.student_name,
            "course_title": certificate.course_title,
            "completed_at": certificate.completed_at,
            "status": "revoked" if certificate.revoked_at else "valid",
        }
        return Response(VerificationSerializer(data).data)
