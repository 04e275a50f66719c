import logging
import sys
import zoneinfo

from django.contrib import messages
from django.contrib.auth import middleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.template import loader
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views import defaults
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from .models import Profile


def current_page(request):
    """The path of the page an htmx request came from, or "/" if it is unusable."""
    try:
        return request.htmx.current_url_abs_path or "/"
    except ValueError:
        # A malformed HX-Current-URL header, such as "http://[x".
        return "/"


class LoginRequiredMiddleware(middleware.LoginRequiredMiddleware):
    """Django's, plus care for htmx requests whose session has run out.

    Redirecting those would swap the login form into a checklist row, so the
    browser is sent to the login page instead, and back to the page after.
    """

    def handle_no_permission(self, request, view_func):
        if not request.htmx:
            return super().handle_no_permission(request, view_func)
        response = redirect_to_login(
            current_page(request),
            resolve_url(self.get_login_url(view_func)),
            self.get_redirect_field_name(view_func),
        )
        return HttpResponseClientRedirect(response.url)


SESSION_TIME_ZONE = "time_zone"


def valid_time_zone(name):
    """The zoneinfo for an IANA name, or None for an unknown or malformed one."""
    if not name or len(name) > 64:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


class UserTimeZoneMiddleware:
    """Dates and times show in the user's own time zone.

    The zone lives in the user's Profile; the session keeps a copy, made when
    the user logs in (`remember_time_zone`) or changes it, so a page costs no
    extra query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The session holds a zone only while someone is logged in (logging
        # out flushes it), so request.user is not read here.
        zone = valid_time_zone(request.session.get(SESSION_TIME_ZONE))
        if zone:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def remember_time_zone(sender, request, user, **kwargs):
    """On login (a `user_logged_in` receiver): copy the profile's zone into the session."""
    if request is not None and hasattr(request, "session"):
        profile = Profile.objects.filter(user=user).first()
        request.session[SESSION_TIME_ZONE] = profile.time_zone if profile else ""


class HtmxMessagesMiddleware:
    """Django messages queued during an htmx request show as toasts.

    The page is not reloaded, so the messages travel in an HX-Trigger
    "messages" event that app.js turns into toasts. A redirect leaves them
    queued for the page it leads to.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or 300 <= response.status_code < 400:
            return response
        if "HX-Redirect" in response or "HX-Location" in response:
            return response
        queued = [
            {"text": str(message), "tags": message.tags}
            for message in messages.get_messages(request)
        ]
        if queued:
            trigger_client_event(response, "messages", queued)
        return response


# The database down (stopped, restarting, unreachable): a 503 that says the
# change was not saved, instead of a 500 and two full tracebacks.
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5

database_logger = logging.getLogger("productions.database")


def database_unavailable(request, exc):
    """The 503 for a request the database failed: one log line, a static page.

    The page renders without a request context, so no context processor (the
    user, the session, messages: all in the database) runs. Django reconnects
    on the next request, so the app serves again as soon as the database is
    back. htmx does not swap a 503 in; app.js shows its message instead."""
    database_logger.error(
        "Database unavailable (%s: %s): %s %s",
        type(exc).__name__,
        str(exc).strip().splitlines()[0] if str(exc).strip() else "",
        request.method,
        request.path,
    )
    # The user could not be read: the middleware on the way out (caching
    # headers) must not try again, and fail and log again.
    request.user = AnonymousUser()
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    # Logged above, once: Django's request logger would log it again.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is down answers 503 (see
    database_unavailable); failures before or after the view (the session,
    the user) reach server_error(), the 500 handler, which does the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return database_unavailable(request, exception)
        return None


def server_error(request):
    """handler500: a 503 when the database is down (the exception being
    handled is in sys.exc_info()), else Django's 500 page."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_DOWN):
        return database_unavailable(request, exc)
    return defaults.server_error(request)
