"""Logging filters (settings.LOGGING): a 403 or a 404 is one line.

Django logs a refused or missing page on `django.request` with the
exception's full traceback, and runserver logs the same request again on
`django.server`. Neither traceback says more than the line does: the page
was refused or not found, which is the app working."""

import logging

ONE_LINE_STATUSES = {403, 404}


class OneLineFor403And404(logging.Filter):
    """On django.request: keep the line ("Not Found: /path"), drop the traceback."""

    def filter(self, record):
        if getattr(record, "status_code", None) in ONE_LINE_STATUSES:
            record.exc_info = None
            record.exc_text = None
        return True


class SkipServerLineFor403And404(logging.Filter):
    """On django.server (runserver's access log): django.request has said it."""

    def filter(self, record):
        return getattr(record, "status_code", None) not in ONE_LINE_STATUSES
