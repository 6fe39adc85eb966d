import factory

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.users.tests.factories import StudentFactory


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    student = factory.SubFactory(StudentFactory)
    course = factory.SubFactory(CourseFactory)
    source = Enrollment.Source.PAYMENT
