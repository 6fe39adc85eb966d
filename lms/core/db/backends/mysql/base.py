from django.db.backends.mysql import base

from lms.core.db.health import HealthCheckIntervalMixin


class DatabaseWrapper(HealthCheckIntervalMixin, base.DatabaseWrapper):
    pass
