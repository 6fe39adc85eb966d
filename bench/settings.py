"""Benchmark settings: production, plus a bare hello view to measure the floor of a Django request.

Every secret comes from the environment, exactly as in production; `bench/run.py` sets them (a
fresh random key per run). Only what plain HTTP on 127.0.0.1 needs is changed here.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The benchmark speaks plain HTTP on the loopback interface, with no TLS proxy in front: redirecting
# to https would measure a 301 instead of the endpoint.
SECURE_SSL_REDIRECT = False
