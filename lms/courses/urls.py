from rest_framework.routers import SimpleRouter

from lms.courses.apis import CourseViewSet

router = SimpleRouter()
router.register("", CourseViewSet, basename="course")

urlpatterns = router.urls
