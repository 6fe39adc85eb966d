"""The WSGI application (gunicorn config.wsgi). Production settings unless DJANGO_SETTINGS_MODULE
says otherwise; they refuse to load without the variables production requires (ImproperlyConfigured)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
