"""Local development: `make run`. Safe defaults so a fresh clone runs without configuration."""

from lms.core import local_stripe

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="django-insecure-local-development-only-never-use-this-key-in-production"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# runserver speaks plain HTTP: a Secure cookie would never come back.
LMS_REFRESH_COOKIE_SECURE = env.bool("LMS_REFRESH_COOKIE_SECURE", default=False)

LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT

# Without a Stripe key, development talks to the localstripe that `make run` starts: on
# LOCALSTRIPE_PORT when it is set, else where `make run` recorded it, so that `manage.py pay_test`
# in another terminal reaches the same fake Stripe with no configuration.
if not env.str("STRIPE_SECRET_KEY", default=""):
    STRIPE_SECRET_KEY = "sk_test_localstripe"
    STRIPE_API_BASE = local_stripe.api_base(env.str("LOCALSTRIPE_PORT", default=""))
    STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="whsec_localstripe_development")
    STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="pk_test_localstripe")
    # Offline, the real Stripe.js cannot load: the app's checkout pays at localstripe instead.
    LMS_LOCAL_CHECKOUT = env.bool("LMS_LOCAL_CHECKOUT", default=True)
