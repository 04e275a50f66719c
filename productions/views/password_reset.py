"""Forgot your password? Django's reset page, throttled, with the mail sent
by the task worker (productions/tasks.py).

The request itself never looks the email up: it checks the form, counts the
attempt and enqueues the task, the same work for an email that has an
account as for one that has none, so its timing tells nothing. Each client
address and each email may ask RESET_LIMIT times per RESET_WINDOW seconds
(counted in Django's cache); past that the page answers 429 and says so."""

import hashlib

from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.http import HttpResponseRedirect

from bts_tracker.middleware import client_ip

from ..tasks import RESET_EMAIL, RESET_SUBJECT, send_password_reset

RESET_LIMIT = 5
RESET_WINDOW = 60 * 60
TOO_MANY = (
    "Too many password reset requests for this email or from this address: try again in an hour."
)


def reset_throttle_keys(request, email):
    """The cache keys one attempt counts against: its address and its email
    (hashed: the cache holds no email)."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return [f"password-reset:address:{client_ip(request)}", f"password-reset:email:{digest}"]


def count_attempt(keys):
    """Count one attempt against each key; whether all are within the limit."""
    allowed = True
    for key in keys:
        cache.add(key, 0, timeout=RESET_WINDOW)
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=RESET_WINDOW)
            attempts = 1
        allowed = allowed and attempts <= RESET_LIMIT
    return allowed


class ThrottledPasswordResetView(PasswordResetView):
    subject_template_name = RESET_SUBJECT
    email_template_name = RESET_EMAIL

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not count_attempt(reset_throttle_keys(self.request, email)):
            form.add_error("email", TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        send_password_reset.enqueue(
            email=email, domain=self.request.get_host(), use_https=self.request.is_secure()
        )
        return HttpResponseRedirect(self.get_success_url())


password_reset = ThrottledPasswordResetView.as_view()
