from django.db.backends.postgresql import base

from lms.core.db.health import HealthCheckIntervalMixin


class DatabaseWrapper(HealthCheckIntervalMixin, base.DatabaseWrapper):
    pass
