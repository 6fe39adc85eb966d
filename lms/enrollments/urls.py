from rest_framework.routers import SimpleRouter

from lms.enrollments.apis import EnrollmentViewSet

router = SimpleRouter()
router.register("", EnrollmentViewSet, basename="enrollment")

urlpatterns = router.urls
