from django.urls import path
from rest_framework.routers import SimpleRouter

from lms.certificates.apis import CertificateVerifyApi, CertificateViewSet

router = SimpleRouter()
router.register("", CertificateViewSet, basename="certificate")

urlpatterns = [
    path("verify/<str:code>/", CertificateVerifyApi.as_view(), name="certificate-verify"),
    *router.urls,
]
