"""The project package: settings, URLs and the WSGI, ASGI and Celery entry points.

The Celery app (config/celery.py) is deliberately not imported here. Importing it picks manage.py's
default settings module, and config.wsgi and config.asgi, which pick production, import this package
before their own first line runs. `celery -A config` finds config.celery by itself.
"""
