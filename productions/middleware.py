import zoneinfo

from django.contrib import messages
from django.contrib.auth import middleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.utils import timezone
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
