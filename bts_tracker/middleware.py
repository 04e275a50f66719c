"""Site-wide request and response hardening.

`RejectMalformedRequestMiddleware` goes first in MIDDLEWARE: it answers 400
to requests that Django would otherwise turn into a 500, before any other
middleware, view or error handler reads them.
"""

import codecs
import logging

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpResponseBadRequest, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import patch_cache_control

logger = logging.getLogger("django.security.bad_request")

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NUL = "\x00"


def bad_request(request, reason):
    logger.warning("Bad request (%s): %s", reason, request.path)
    return HttpResponseBadRequest(f"Bad request: {reason}\n", content_type="text/plain")


def has_nul(data):
    """Whether a QueryDict (or a plain dict of strings) has NUL in a key or a value."""
    lists = data.lists() if hasattr(data, "lists") else ((k, [v]) for k, v in data.items())
    return any(NUL in key or any(NUL in value for value in values) for key, values in lists)


def is_utf8(charset):
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False


class RejectMalformedRequestMiddleware:
    """Answer 400 to a request whose form body cannot be read, or that carries NUL bytes.

    Django raises BadRequest for a form body in another charset than UTF-8, or
    a multipart body without a boundary. Its 400 and 404 handlers then check
    the CSRF token, which reads the body again, raises again, and the visitor
    gets a 500. Reading the body once, here, answers 400 before that happens.

    PostgreSQL refuses NUL in a text value (ValueError, so a 500 wherever one
    reaches a query: admin filters and searches, autocomplete terms, session
    cookies, slugs in the path). No form of this app has a use for NUL, so a
    request carrying one anywhere is refused.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.check(request) or self.get_response(request)

    def check(self, request):
        if NUL in request.path_info:
            return bad_request(request, "NUL bytes are not allowed")
        if any(NUL in value for name, value in request.META.items() if name.startswith("HTTP_")):
            return bad_request(request, "NUL bytes are not allowed")
        if has_nul(request.GET) or has_nul(request.COOKIES):
            return bad_request(request, "NUL bytes are not allowed")
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            # A form posted as "utf8" (or any other name of UTF-8) is UTF-8:
            # Django only accepts the spelling "utf-8".
            if request.encoding and is_utf8(request.encoding):
                request.encoding = "utf-8"
            try:
                post, files = request.POST, request.FILES
            except (BadRequest, SuspiciousOperation, MultiPartParserError) as exc:
                # Answered here, so no later middleware or error handler reads the body again.
                return bad_request(request, str(exc) or "unreadable form data")
            except UnreadablePostError:
                return bad_request(request, "the request body could not be read")
            file_names = {name: upload.name or "" for name, upload in files.items()}
            if has_nul(post) or has_nul(file_names):
                return bad_request(request, "NUL bytes are not allowed")
        return None


class NoStoreForUsersMiddleware:
    """Keep pages shown to a logged-in user out of every cache, the browser's included.

    Static files never get here: WhiteNoise answers them earlier, with their
    own long-lived caching headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY as the Permissions-Policy header.

    Django has no setting for this header (as of 6.1). An empty policy sends none.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


def client_ip(request):
    """The visitor's address, for django-axes to count failed logins by.

    Behind the HTTPS proxy (BEHIND_HTTPS_PROXY), REMOTE_ADDR is the proxy's
    own, the same for everyone: the proxy appends the address it saw to
    X-Forwarded-For, so the last entry there is the one to trust (earlier
    entries come from the client and can be forged).
    """
    if getattr(settings, "BEHIND_HTTPS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


# django-axes stores the attempted username in a 255-character column;
# PostgreSQL refuses a longer value (a 500 on the login page). No username is
# that long (Django's are at most 150), so the first 255 characters identify
# the attempt just as well.
AXES_USERNAME_LENGTH = 255


def attempted_username(request, credentials):
    """The username a login attempt is counted against, for django-axes."""
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        return None
    return str(username)[:AXES_USERNAME_LENGTH]
