from rest_framework.routers import SimpleRouter

from lms.audit.apis import AuditRecordViewSet

router = SimpleRouter()
router.register("", AuditRecordViewSet, basename="audit")

urlpatterns = router.urls
