"""Benchmark settings: production, plus the hello view, on plain HTTP (no TLS proxy on 127.0.0.1).

Every secret comes from the environment, as in production; bench/run.py sets fresh ones per run.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False  # a redirect to https would measure a 301 instead of the endpoint
