import factory
from django.conf import settings

from lms.courses.tests.factories import CourseFactory
from lms.payments.models import Payment
from lms.users.tests.factories import StudentFactory


class PaymentFactory(factory.django.DjangoModelFactory):
    """A payment row with a made-up intent id: for tests that never ask Stripe about it."""

    class Meta:
        model = Payment

    student = factory.SubFactory(StudentFactory)
    course = factory.SubFactory(CourseFactory)
    amount = factory.LazyAttribute(lambda o: o.course.price)
    currency = factory.LazyFunction(lambda: settings.LMS_CURRENCY)
    status = Payment.Status.PENDING
    stripe_payment_intent = factory.Sequence(lambda n: f"pi_factory{n:08d}")
