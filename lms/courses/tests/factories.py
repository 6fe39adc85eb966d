from decimal import Decimal

import factory

from lms.courses.models import Course
from lms.users.tests.factories import InstructorFactory


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    description = factory.LazyAttribute(lambda o: f"About {o.title}.")
    price = Decimal("120.00")
    instructor = factory.SubFactory(InstructorFactory)
    status = Course.Status.PUBLISHED  # on sale, as most tests need; drafts say so


class FreeCourseFactory(CourseFactory):
    price = Decimal("0.00")
