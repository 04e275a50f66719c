"""Loaded with `-p tests.env` before pytest-django configures Django.

Settings refuse to start without SECRET_KEY when DEBUG is off (as in
production), so tests supply a throwaway one. Browser tests drive a live
server from Playwright's event-loop thread, which Django otherwise refuses.
The cache is this process's memory: a Redis (REDIS_URL) shared by parallel
workers, each with its own test database, would mix their entries.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.pop("REDIS_URL", None)
