from datetime import timedelta

import factory
from django.utils import timezone

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.users.tests.factories import StudentFactory


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    student = factory.SubFactory(StudentFactory)
    course = factory.SubFactory(CourseFactory)
    source = Enrollment.Source.PAYMENT
    # An hour ago, so that a test's `ended_at=timezone.now()` comes after it, as in real life.
    enrolled_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
