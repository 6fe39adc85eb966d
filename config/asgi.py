"""The ASGI application (e.g. uvicorn config.asgi:application). Production settings unless
DJANGO_SETTINGS_MODULE says otherwise; they refuse to load without the variables production requires."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_asgi_application()
