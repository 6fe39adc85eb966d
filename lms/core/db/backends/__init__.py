"""Django's PostgreSQL and MySQL backends with `lms.core.db.health` (settings.DATABASES maps them)."""
