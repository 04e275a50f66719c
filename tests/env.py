"""Loaded with `-p tests.env` before pytest-django configures Django.

Settings refuse to start without SECRET_KEY when DEBUG is off (as in
production), so tests supply a throwaway one. Browser tests drive a live
server from Playwright's event-loop thread, which Django otherwise refuses.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
