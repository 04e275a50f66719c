from django.contrib.auth import middleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


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
