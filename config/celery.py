"""Celery, used only when REDIS_URL is set: `celery -A config worker --beat` runs periodic jobs.

Its settings module is manage.py's default (config.settings.local) unless DJANGO_SETTINGS_MODULE
names another, so a worker started next to `make run` sees the same settings as the development
server and the management commands. Production exports DJANGO_SETTINGS_MODULE for every process.
"""

import os

from celery import Celery

# Before Celery(): its Django fix-up (django.setup() in each worker, connections closed after each
# task) is installed only when the variable is set at that moment.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("lms")
# The app of every thread, not only of the one that imported this module: a web process queues
# tasks (a certificate's render) from its request threads, which would otherwise get Celery's
# unconfigured default app (an AMQP broker on localhost, no eager mode).
app.set_default()
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
